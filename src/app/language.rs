//! The language menu a signed-in person changes their language with. The
//! choice is kept on their account (`choose_language`); the page then
//! loads again in it, dates and statuses included.

use leptos::prelude::*;

use crate::api::me::ChooseLanguage;
use crate::i18n::*;
use crate::model::Language;

#[component]
pub fn LanguageMenu(
    /// The language the page is in.
    current: Language,
) -> impl IntoView {
    let i18n = use_i18n();
    let choose = ServerAction::<ChooseLanguage>::new();
    // Hydrated, the form is sent by the action: load the page again in the
    // language now kept (a plain form post is sent back to the page).
    Effect::new(move |_| {
        if matches!(choose.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    view! {
        <ActionForm action=choose attr:class="language-menu">
            <label for="language-menu">{t!(i18n, common.language)}</label>
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
            <button type="submit" class="secondary">{t!(i18n, portal.change_language)}</button>
        </ActionForm>
    }
}
