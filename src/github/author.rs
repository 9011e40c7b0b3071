//! Which comments on a pull request pitcrew wrote.
//!
//! A comment is found again by the hidden marker its body starts with, but
//! anyone who can comment can write that marker. Trusting the marker alone
//! would let a PR author's comment stand in for ours: suppress a
//! suggestion, freeze the sticky comment (`--comment changes`), or have
//! pitcrew overwrite their comment with the report. So a marker counts only
//! in a comment whose author is the identity pitcrew posts as.
//!
//! That identity is asked once (`GET /user`). A personal token answers with
//! its login, and only that login's comments count. An installation token
//! (the workflow's `GITHUB_TOKEN`, or a GitHub App's) may not read `/user`
//! (403 "Resource not accessible by integration"); such tokens post as a
//! bot, so then only comments by a bot account count: a bot can comment on
//! a repository only where its app is installed, which a PR author can't
//! arrange.

use serde::Deserialize;

use super::client::Client;

/// The author of a comment, as GitHub lists it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct User {
    #[serde(default)]
    pub login: String,
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// Who pitcrew posts as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Us {
    /// The token's own login (a personal token).
    Login(String),
    /// Some bot account (an installation token, which can't say which).
    AnyBot,
}

#[derive(Deserialize)]
struct Me {
    login: String,
}

impl Us {
    /// Asks GitHub who the token is. Any failure means an installation
    /// token (or an API that won't say): only bots count then, which is
    /// the narrower trust when in doubt.
    pub fn of(client: &Client) -> Us {
        match client.get_json::<Me>("/user") {
            Ok(me) if !me.login.is_empty() => Us::Login(me.login),
            Ok(_) => Us::AnyBot,
            Err(err) => {
                tracing::debug!("token identity unknown ({err}): comments by bots count as ours");
                Us::AnyBot
            }
        }
    }

    /// Whether a comment by `user` (None when GitHub names nobody, e.g. a
    /// deleted account) was written by us.
    pub fn wrote(&self, user: Option<&User>) -> bool {
        let Some(user) = user else {
            return false;
        };
        match self {
            Us::Login(login) => user.login.eq_ignore_ascii_case(login),
            Us::AnyBot => user.kind == "Bot",
        }
    }
}

/// A comment as read from a listing: its body and its author.
#[derive(Clone, Debug, Deserialize)]
pub struct Listed<Extra> {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The comments among `comments` whose body is `marked` and that we wrote,
/// in their order. GitHub is asked who we are only when some body is
/// marked (most runs find none and save the request).
pub fn ours<'a, Extra>(
    client: &Client,
    comments: &'a [Listed<Extra>],
    marked: impl Fn(&str) -> bool,
) -> Vec<&'a Listed<Extra>> {
    let candidates: Vec<_> = comments
        .iter()
        .filter(|c| c.body.as_deref().is_some_and(&marked))
        .collect();
    if candidates.is_empty() {
        return candidates;
    }
    let us = Us::of(client);
    let (ours, theirs): (Vec<_>, Vec<_>) = candidates
        .into_iter()
        .partition(|c| us.wrote(c.user.as_ref()));
    if !theirs.is_empty() {
        tracing::warn!(
            "{} comment(s) carry pitcrew's marker but were not written by pitcrew's token: ignored",
            theirs.len()
        );
    }
    ours
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(login: &str, kind: &str) -> User {
        User {
            login: login.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn a_login_trusts_only_itself() {
        let us = Us::Login("Octo".into());
        assert!(us.wrote(Some(&user("octo", "User"))));
        assert!(!us.wrote(Some(&user("mallory", "User"))));
        assert!(!us.wrote(Some(&user("github-actions[bot]", "Bot"))));
        assert!(!us.wrote(None));
    }

    #[test]
    fn an_installation_token_trusts_bots_only() {
        let us = Us::AnyBot;
        assert!(us.wrote(Some(&user("github-actions[bot]", "Bot"))));
        assert!(!us.wrote(Some(&user("mallory", "User"))));
        assert!(!us.wrote(Some(&user("github-actions[bot]", "User"))));
        assert!(!us.wrote(None));
    }
}
