//! The walk's coverage: every path and method of the API document has a probe.

use qaward_app::testing::Backend;
use qaward_domain::ids::{SubjectId, UserId};

use super::{Send, World, evaluation, probes};
use crate::common::TestApp;

/// Every path and method of the API document has a probe in the walk.
#[tokio::test]
async fn the_walk_covers_every_path_of_the_api_document() {
    let t = TestApp::new(Backend::Sqlite).await;
    let doc = t.get("/api/openapi.json", None).await.json();
    let w = World {
        org: SubjectId(1),
        person: SubjectId(2),
        agency: UserId(3),
        service: UserId(4),
        managed: UserId(13),
        app: 5,
        attachment: 6,
        listed: 7,
        notice: 8,
        objection: 9,
        code: "x".into(),
        request: 10,
        notification: 11,
        registration: SubjectId(12),
        eval: evaluation::Evaluation {
            cycle: 14,
            panel: 15,
            draw: 16,
            members: vec![UserId(17)],
            observation: 18,
            exclusion: 19,
        },
        award: 20,
        complaint: 21,
        complaint_code: "y".into(),
        program: 22,
    };
    let walked: Vec<(String, String)> = probes(&w, Some("office"), 6, 7)
        .into_iter()
        .filter_map(|p| match p.send {
            Send::Json(m, path, _) => Some((m.to_string().to_lowercase(), path)),
            Send::RawUpload(path) => Some(("post".into(), path)),
            _ => None,
        })
        .map(|(m, path)| {
            let path = path.split('?').next().unwrap_or_default().to_owned();
            (
                m,
                path.split('/')
                    .map(|s| if is_parameter(s) { "{}" } else { s })
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let shape: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { "{}" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            if !walked.iter().any(|(m, p)| m == method && *p == shape) {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "API routes the walk does not try: {missing:?}"
    );
}

/// A path segment that fills a parameter: an id, or an evaluation stage's code.
fn is_parameter(segment: &str) -> bool {
    segment.parse::<i64>().is_ok() || segment.parse::<qaward_domain::application::Stage>().is_ok()
}
