//! What the stock list shows (search, low-stock filter, archived, order, page) and its form
//! in the page URL.

use serde::{Deserialize, Serialize};

use crate::choice::Choice;

/// How the stock list is ordered. "Available" puts what runs out first at the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StockSort {
    #[default]
    Name,
    Sku,
    Available,
}

/// What the stock list shows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StockQuery {
    /// Part of a SKU or name, any case.
    pub q: String,
    /// Only products at or below their reorder level.
    pub low: bool,
    pub archived: bool,
    pub sort: StockSort,
    pub after: Option<i64>,
    pub before: Option<i64>,
}

impl Choice for StockSort {
    const ALL: &'static [Self] = &[Self::Name, Self::Sku, Self::Available];

    fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Sku => "sku",
            Self::Available => "available",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Sku => "SKU",
            Self::Available => "Available, lowest first",
        }
    }
}

crate::page_query!(StockQuery, StockList);

// In the URL only what differs from the default list: `/stock?low=true&q=bolt`.
crate::url_query!(StockQuery {
    q,
    low,
    archived,
    sort,
    after,
    before
});
