//! `GET /export/statistiques.csv`: the certification's figures for the équipe animation, one
//! line per figure (session, figure, competence or coach, value), every session then all of
//! them together, so that a spreadsheet can filter and pivot them. Same conventions as the
//! applications export (BOM, `;`, CRLF, formulas neutralised).

use poem::web::Data;
use poem::{IntoResponse, Request, Response, handler};
use schema::models::statistics::{self, Figures};

use super::{csv_response, from_admin, not_found, push_row, start_csv};
use crate::state::AppState;

const COLUMNS: [&str; 4] = ["Session", "Indicateur", "Précision", "Valeur"];

/// A rate from 0 to 1 as a French percentage with one decimal (« 87,5 »), blank when none.
fn percent(rate: Option<f64>) -> String {
    rate.map(|rate| format!("{:.1}", rate * 100.0).replace('.', ","))
        .unwrap_or_default()
}

fn push_figures(csv: &mut String, session: &str, figures: &Figures) {
    let mut row = |figure: &str, detail: &str, value: String| {
        push_row(csv, &[session, figure, detail, &value]);
    };
    row("Inscriptions", "", figures.registrations.to_string());
    row("Éligibles", "", figures.eligible.to_string());
    row(
        "Dossiers complets",
        "",
        figures.dossiers_complete.to_string(),
    );
    row("Oraux passés", "", figures.orals_held.to_string());
    row("Lauréats", "", figures.laureates.to_string());
    row("Taux de réussite (%)", "", percent(figures.success_rate()));
    for competence in &figures.competences {
        row(
            "Taux d'acquisition (%)",
            &competence.name,
            percent(competence.acquisition_rate()),
        );
    }
    for coach in &figures.coaches {
        row("Oraux comme coach", &coach.name, coach.as_coach.to_string());
        if coach.as_second_juror > 0 {
            row(
                "Oraux comme second juré",
                &coach.name,
                coach.as_second_juror.to_string(),
            );
        }
    }
}

/// The figures as CSV, for admins; a bare 404 for anyone else.
#[handler]
pub async fn statistics_csv(req: &Request, Data(state): Data<&AppState>) -> Response {
    match from_admin(req, state).await {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(response) => return response,
    }
    match render(state).await {
        Ok(body) => csv_response("statistiques.csv", body),
        Err(error) if error.is_unavailable() => crate::error::unavailable_response(),
        Err(error) => {
            tracing::error!(?error, "The statistics export failed.");
            poem::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn render(state: &AppState) -> Result<String, crate::error::ApiError> {
    let mut conn = state.db().await?;
    let all = statistics::all(&mut conn).await?;
    let mut csv = start_csv(&COLUMNS);
    for session in &all.sessions {
        push_figures(&mut csv, &session.label(), &session.figures);
    }
    push_figures(&mut csv, "Toutes les sessions", &all.overall);
    Ok(csv)
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn rates_are_french_percentages() {
        assert_eq!(percent(Some(0.875)), "87,5");
        assert_eq!(percent(Some(1.0)), "100,0");
        assert_eq!(percent(None), "");
    }
}
