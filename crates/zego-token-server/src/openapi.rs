//! The OpenAPI 3 document, generated from the handlers and types with `utoipa`.

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorDetail};
use crate::routes::{apps, health, inspect, token};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "An API key (backends) or a login JWT from a configured identity provider (app clients)"
                .into(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "zego-token service", description = "Mints ZEGO token04 tokens on the server so the ServerSecret never reaches a client."),
    paths(token::issue, inspect::inspect, apps::list, health::healthz, health::readyz),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&Bearer),
    tags(
        (name = "tokens", description = "Token issuing and inspection"),
        (name = "operations", description = "Health checks"),
    )
)]
pub(crate) struct ApiDoc;

/// The document as JSON text (built once).
pub fn openapi_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

pub(crate) async fn openapi_json() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        openapi_text(),
    )
        .into_response()
}
