//! The language menu a signed-in person changes their language with. The
//! choice is kept on their account (`choose_language`); the page then
//! loads again in it, dates and statuses included.

use leptos::prelude::*;

use super::ui::{FormMessage, action_error, page_locale};
use crate::api::me::ChooseLanguage;
use crate::i18n::*;
use crate::model::Language;

/// Loads the page again when the signed-in person reads `theirs` but the
/// page is in another language: after signing in, switching organization or
/// activating, the router shows the next page inside the one already open,
/// whose language was decided for the page before. Only in the browser.
pub fn follow_language(theirs: Language) {
    Effect::new(move |_| {
        if theirs != Language::of_locale(super::ui::page_locale()) {
            let _ = window().location().reload();
        }
    });
}

/// A menu of the languages, each by its own name, and a button that keeps
/// the one chosen on the signed-in person's account; a refusal shows under
/// it.
#[component]
pub fn LanguageMenu(
    /// The language the page is in.
    current: Language,
) -> impl IntoView {
    let locale = page_locale();
    let choose = ServerAction::<ChooseLanguage>::new();
    let error = action_error(choose);
    // Hydrated, the form is sent by the action: load the page again in the
    // language now kept (a plain form post is sent back to the page).
    Effect::new(move |_| {
        if matches!(choose.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    view! {
        <ActionForm action=choose attr:class="language-menu">
            <label for="language-menu">{td_string!(locale, common.language)}</label>
            <select id="language-menu" name="language">
                {Language::ALL
                    .iter()
                    .map(|l| {
                        view! {
                            <option value=l.as_str() selected=*l == current lang=l.as_str()>
                                {l.own_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="secondary">{td_string!(locale, portal.change_language)}</button>
            <FormMessage error />
        </ActionForm>
    }
}
