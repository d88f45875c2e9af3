//! `herald teams-package`: the zip Teams takes, checked against Microsoft's
//! manifest and translation schemas (v1.30, kept in `tests/fixtures/teams`)
//! and Teams' icon rules.

use std::io::Read;

use serde_json::Value;

use crate::helpers::{TestDatabase, herald_command, output};

fn schema(file: &str) -> jsonschema::Validator {
    let path = format!("{}/tests/fixtures/teams/{file}", env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn problems(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

/// Width, height and PNG colour type (2 RGB, 6 RGBA) from the IHDR chunk.
fn png_header(bytes: &[u8]) -> (u32, u32, u8) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20), bytes[25])
}

async fn make_package(args: &[&str]) -> (bool, String, Option<Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("app.zip");
    let db = TestDatabase::sqlite().await;
    let (ok, text) = output(
        herald_command(&db)
            .arg("teams-package")
            .args(args)
            .arg("--out")
            .arg(&out),
    )
    .await;
    (ok, text, std::fs::read(&out).ok())
}

#[tokio::test]
async fn the_package_is_what_teams_accepts() {
    let (ok, text, zip) = make_package(&[
        "--app-id",
        "3f2b8c1e-7d4a-4b6e-9a1f-2c5d8e0b7a64",
        "--name",
        "Herald",
        "--domain",
        "herald.example.com",
    ])
    .await;
    assert!(ok, "{text}");
    assert!(text.contains("Upload"), "{text}");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.unwrap())).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "color.png",
            "fr.json",
            "manifest.json",
            "outline.png",
            "pt-br.json",
            "pt-pt.json"
        ]
    );
    let mut read = |name: &str| {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        bytes
    };

    let manifest: Value = serde_json::from_slice(&read("manifest.json")).unwrap();
    let validator = schema("MicrosoftTeams.schema.json");
    assert_eq!(problems(&validator, &manifest), Vec::<String>::new());
    // A draft-4 validator skips `const`: the version is checked here.
    assert_eq!(manifest["manifestVersion"], "1.30");
    assert_eq!(
        manifest["bots"][0]["botId"],
        "3f2b8c1e-7d4a-4b6e-9a1f-2c5d8e0b7a64"
    );
    assert_eq!(
        manifest["bots"][0]["scopes"],
        serde_json::json!(["personal", "team", "groupChat"])
    );
    let commands = manifest["bots"][0]["commandLists"][0]["commands"]
        .as_array()
        .unwrap();
    assert!(commands.iter().any(|c| c["title"] == "reminders"));
    // The validator does refuse what breaks the schema.
    let mut broken = manifest.clone();
    broken["name"]["short"] = Value::from("x".repeat(31));
    assert!(!problems(&validator, &broken).is_empty());

    let translations = schema("MicrosoftTeams.Localization.schema.json");
    for (file, help) in [
        ("pt-br.json", "ajuda"),
        ("pt-pt.json", "ajuda"),
        ("fr.json", "aide"),
    ] {
        let translation: Value = serde_json::from_slice(&read(file)).unwrap();
        assert_eq!(
            problems(&translations, &translation),
            Vec::<String>::new(),
            "{file}"
        );
        assert_eq!(
            translation["bots[0].commandLists[0].commands[0].title"],
            help
        );
        let last = format!(
            "bots[0].commandLists[0].commands[{}].title",
            commands.len() - 1
        );
        assert!(
            translation[&last].is_string(),
            "{file}: every command translated"
        );
    }

    let (width, height, colour) = png_header(&read("color.png"));
    assert_eq!((width, height), (192, 192));
    assert!(colour == 2 || colour == 6, "full colour");
    let (width, height, colour) = png_header(&read("outline.png"));
    assert_eq!((width, height), (32, 32));
    assert_eq!(colour, 6, "the outline icon has transparency");
}

#[tokio::test]
async fn bad_arguments_write_nothing_and_say_what_is_wrong() {
    for (args, expected) in [
        (
            vec!["--app-id", "herald", "--domain", "herald.example.com"],
            "--app-id",
        ),
        (
            vec![
                "--app-id",
                "3f2b8c1e-7d4a-4b6e-9a1f-2c5d8e0b7a64",
                "--domain",
                "https://herald.example.com/api",
            ],
            "--domain",
        ),
        (
            vec![
                "--app-id",
                "3f2b8c1e-7d4a-4b6e-9a1f-2c5d8e0b7a64",
                "--domain",
                "herald.example.com",
                "--name",
                "A name far too long for the Teams app store",
            ],
            "--name",
        ),
    ] {
        let (ok, text, zip) = make_package(&args).await;
        assert!(!ok, "{args:?}");
        assert!(text.contains(expected), "{args:?}: {text}");
        assert!(zip.is_none(), "nothing written");
    }
}
