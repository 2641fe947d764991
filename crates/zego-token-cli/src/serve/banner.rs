//! The block `serve --dev` prints to stderr once it listens: where it listens, which
//! app, the API key (when made up at start: shown this once), and a request to try.

use std::io::Write;
use std::net::SocketAddr;

use zego_token_server::Config;

use super::dev::DevKey;

/// Writes [`text`] to stderr (a closed stderr is not an error here).
pub(super) fn print(local: SocketAddr, config: &Config, key: &DevKey) {
    let _ = std::io::stderr()
        .lock()
        .write_all(text(local, config, key).as_bytes());
}

/// The banner of a `--dev` service listening on `local`.
fn text(local: SocketAddr, config: &Config, key: &DevKey) -> String {
    let first = config.apps.first();
    let app = first.map_or(0, |a| a.app_id);
    let demo = first.is_some_and(|a| a.demo_secret);
    let base = format!("http://{local}");
    let mut b = String::new();
    b.push_str("================================================================\n");
    b.push_str(" zego-token serve --dev: DEVELOPMENT MODE, NOT FOR PRODUCTION\n");
    b.push_str("================================================================\n");
    b.push_str(&format!(" listening  {base}\n"));
    if demo {
        b.push_str(&format!(
            " app        {app}  PUBLIC DEMO APP: ZEGO refuses its tokens.\n            Set ZEGO_APP_ID and ZEGO_SERVER_SECRET (or ZEGO_SERVER_SECRET_FILE)\n            to use your own app.\n"
        ));
    } else {
        b.push_str(&format!(
            " app        {app} (from ZEGO_APP_ID / {})\n",
            if first.is_some_and(|a| a.secret_file.is_some()) {
                "ZEGO_SERVER_SECRET_FILE"
            } else {
                "ZEGO_SERVER_SECRET"
            }
        ));
    }
    if key.chosen {
        b.push_str(" API key    from ZEGO_TOKEN_API_KEY\n");
    } else {
        b.push_str(&format!(
            " API key    {}\n            (shown once; set ZEGO_TOKEN_API_KEY to choose your own)\n",
            key.key.as_str()
        ));
    }
    let shown = if key.chosen {
        "$ZEGO_TOKEN_API_KEY"
    } else {
        key.key.as_str()
    };
    b.push_str(&format!(" console    {base}/console\n"));
    b.push_str(&format!(
        " try        curl -s {base}/v1/token -H \"Authorization: Bearer {shown}\" \\\n              -H 'Content-Type: application/json' -d '{{\"user_id\":\"user1\"}}'\n"
    ));
    if !local.ip().is_loopback() {
        b.push_str(" WARNING    not a loopback address: anyone who can reach it can get tokens.\n");
    }
    b.push_str(" production zego-token serve --config FILE   (template: --print-example-config)\n");
    b
}

#[cfg(test)]
mod tests {
    use zego_token_server::Env;
    use zeroize::Zeroizing;

    use super::*;

    fn key(text: &str, chosen: bool) -> DevKey {
        DevKey {
            key: Zeroizing::new(text.to_owned()),
            chosen,
        }
    }

    #[test]
    fn a_made_up_key_is_shown_and_a_chosen_one_is_not() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let demo = Config::dev(None, &Env::default()).unwrap();
        let made_up = text(local, &demo, &key("ztk_made-up-key-0123", false));
        assert!(
            made_up.contains(" API key    ztk_made-up-key-0123\n"),
            "{made_up}"
        );
        assert!(made_up.contains("Bearer ztk_made-up-key-0123"), "{made_up}");
        assert!(made_up.contains("PUBLIC DEMO APP"), "{made_up}");
        assert!(made_up.contains(" console    http://127.0.0.1:8080/console\n"));
        assert!(!made_up.contains("WARNING"), "{made_up}");

        let own = Env::from_pairs([
            ("ZEGO_APP_ID", "1234567890"),
            ("ZEGO_SERVER_SECRET", "fa94dd0f974cf2e293728a526b028271"),
        ]);
        let own = Config::dev(None, &own).unwrap();
        let chosen = text(local, &own, &key("chosen-key-0123456789", true));
        assert!(!chosen.contains("chosen-key-0123456789"), "{chosen}");
        assert!(chosen.contains("Bearer $ZEGO_TOKEN_API_KEY"), "{chosen}");
        assert!(
            chosen.contains(" app        1234567890 (from ZEGO_APP_ID / ZEGO_SERVER_SECRET)\n"),
            "{chosen}"
        );
    }
}
