//! Links a candidate gives: any web address (http or https), and the product sheet, which must
//! be a page of the beta.gouv.fr site (`https://beta.gouv.fr/startups/<id>.html`).

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error(
        "« {0} » n'est pas une adresse web valide (elle doit commencer par https:// ou http://)"
    )]
    NotWeb(String),
    #[error(
        "la fiche produit doit être une page de beta.gouv.fr, de la forme https://beta.gouv.fr/startups/nom-de-la-startup.html"
    )]
    NotProductSheet,
}

/// A web address, normalised by the URL parser.
pub fn web_url(raw: &str) -> Result<String, LinkError> {
    let raw = raw.trim();
    let parsed = url::Url::parse(raw).map_err(|_| LinkError::NotWeb(raw.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.host_str().is_none_or(|host| !host.contains('.'))
        || raw.len() > 2000
    {
        return Err(LinkError::NotWeb(raw.to_owned()));
    }
    Ok(parsed.to_string())
}

/// A beta.gouv.fr product sheet address.
pub fn product_sheet_url(raw: &str) -> Result<String, LinkError> {
    let url = web_url(raw)?;
    let parsed = url::Url::parse(&url).map_err(|_| LinkError::NotProductSheet)?;
    let id = parsed
        .path()
        .strip_prefix("/startups/")
        .and_then(|rest| rest.strip_suffix(".html"))
        .unwrap_or_default();
    let valid_id = !id.is_empty()
        && id
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if parsed.scheme() == "https"
        && parsed.host_str() == Some("beta.gouv.fr")
        && valid_id
        && parsed.query().is_none()
    {
        Ok(url)
    } else {
        Err(LinkError::NotProductSheet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_sheets_are_beta_gouv_fr_startup_pages() {
        assert_eq!(
            product_sheet_url(" https://beta.gouv.fr/startups/aides-jeunes.html ").unwrap(),
            "https://beta.gouv.fr/startups/aides-jeunes.html"
        );
        for bad in [
            "http://beta.gouv.fr/startups/x.html",
            "https://beta.gouv.fr/startups/.html",
            "https://evil.fr/startups/x.html",
            "https://beta.gouv.fr/startups/X Y.html",
            "https://beta.gouv.fr/incubateurs/x.html",
            "beta.gouv.fr/startups/x.html",
        ] {
            assert!(product_sheet_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn web_urls_need_http_and_a_host() {
        assert!(web_url("https://mes-aides.gouv.fr").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x.fr",
            "https://localhost",
            "mes-aides.gouv.fr",
            "",
        ] {
            assert!(web_url(bad).is_err(), "{bad}");
        }
    }
}
