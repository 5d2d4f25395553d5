//! The order's QR code: its page's address with the order number as the fragment, so a phone
//! opens the order and the number shows in the link. Drawn on the server as SVG with the
//! `qrcode` crate and served as an image.

use dioxus::server::axum::extract::Path;
use dioxus::server::axum::http::header;
use dioxus::server::axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;
use sea_orm::EntityTrait;

use super::READ;
use crate::auth::guard::Ctx;
use crate::error::AppError;
use crate::server::entities::order;

/// What the code says: `https://sales.example/orders/42#SO-2026-00042`.
pub fn content(base: &url::Url, id: i64, number: &str) -> String {
    let mut link = base.clone();
    link.set_path(&format!("{}orders/{id}", base.path()));
    link.set_fragment(Some(number));
    link.to_string()
}

/// `GET /api/orders/{id}/qr.svg`
pub async fn qr_svg(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(READ)?;
    let number = order::Entity::find_by_id(id)
        .one(&ctx.state.db)
        .await
        .map_err(|e| AppError::internal("order QR", e))?
        .ok_or_else(|| AppError::NotFound(format!("order {id}")))?
        .number;
    let code = QrCode::new(content(&ctx.state.config.base_url, id, &number))
        .map_err(|e| AppError::internal("order QR", e))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .dark_color(svg::Color("#111827"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            // The number never changes; the browser may keep the image for the session.
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        image,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_link_keeps_the_base_path_and_carries_the_number() {
        let base = url::Url::parse("https://erp.example/sales/").unwrap();
        assert_eq!(
            super::content(&base, 42, "SO-2026-00042"),
            "https://erp.example/sales/orders/42#SO-2026-00042"
        );
    }
}
