//! What a client list shows (search, archived or not, order, page) and how that lives in the
//! page URL, so a list can be shared and the back button works.

use crate::choice::Choice;
use serde::{Deserialize, Serialize};

/// Clients shown per page.
pub const PAGE_SIZE: u64 = 25;

/// The order of a client list. Each has its own index, and pages are cut by (key, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    NameDesc,
    Newest,
    Oldest,
}

impl Choice for ClientSort {
    const ALL: &'static [Self] = &[Self::Name, Self::NameDesc, Self::Newest, Self::Oldest];

    fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::NameDesc => "name_desc",
            Self::Newest => "newest",
            Self::Oldest => "oldest",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "Name A–Z",
            Self::NameDesc => "Name Z–A",
            Self::Newest => "Newest first",
            Self::Oldest => "Oldest first",
        }
    }
}

/// The same for the page URL, the list's server function and the CSV export.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientQuery {
    /// Words to find, each anywhere in name, contact, email, phone or an address.
    pub q: String,
    /// Archived clients instead of active ones.
    pub archived: bool,
    pub sort: ClientSort,
    /// Keyset cursors: the id of the row this page starts after, or ends before.
    pub after: Option<i64>,
    pub before: Option<i64>,
}

crate::page_query!(ClientQuery, ClientList);

// In the URL only what differs from the default list: `/clients?q=acme&sort=newest`.
crate::url_query!(ClientQuery {
    q,
    archived,
    sort,
    after,
    before
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::url::as_router_reads;

    fn through_router(q: &ClientQuery) -> ClientQuery {
        ClientQuery::from(as_router_reads(&q.to_string()).as_str())
    }

    #[test]
    fn a_list_survives_the_url() {
        for q in [
            ClientQuery::default(),
            ClientQuery {
                q: "Müller & Söhne 100% a=b".into(),
                archived: true,
                sort: ClientSort::NameDesc,
                after: Some(42),
                before: None,
            },
            ClientQuery {
                before: Some(7),
                sort: ClientSort::Newest,
                ..Default::default()
            },
        ] {
            assert_eq!(through_router(&q), q);
        }
    }

    #[test]
    fn the_default_list_has_a_bare_url_and_junk_is_ignored() {
        assert_eq!(ClientQuery::default().to_string(), "");
        let q = ClientQuery::from("sort=sideways&after=abc&zzz&q=acme");
        assert_eq!(
            q,
            ClientQuery {
                q: "acme".into(),
                ..Default::default()
            }
        );
    }

    proptest::proptest! {
        /// Whatever is typed in the search box survives the trip through the page URL.
        #[test]
        fn any_search_text_round_trips_through_the_url(q in "\\PC*", after in proptest::option::of(1i64..)) {
            let query = ClientQuery { q, after, ..Default::default() };
            proptest::prop_assert_eq!(through_router(&query), query);
        }
    }
}
