//! The answer cards above the search results (搜索即服务), as pure function components:
//! part of the results' semantics (a heading, counted in the status the live region
//! announces), reachable by keyboard through their links, compact enough that the first
//! result stays on a phone's first screen.

use disclosure_core::consultation::Consultation;
use disclosure_core::lookup::LookupEntry;
use time::Date;
use yew::prelude::*;

use super::answers::{AnswerCards, AnswerLinks, FeeLine};
use crate::labels::use_lang;
use crate::page::link_to;
use crate::status::{change_sentence, status_change, status_line, DocTitle};

#[derive(Properties, PartialEq)]
pub struct AnswerCardsProps {
    pub cards: AnswerCards,
    pub links: AnswerLinks,
    pub today: Date,
}

/// Every card of the query, under one heading; nothing when there is none.
#[function_component(AnswerCardsView)]
pub fn answer_cards_view(props: &AnswerCardsProps) -> Html {
    let lang = use_lang();
    let cards = &props.cards;
    if cards.count() == 0 {
        return Html::default();
    }
    html! {
        <section class="nx-answers" aria-labelledby="nx-answers-heading">
            <h2 id="nx-answers-heading" class="nx-answers__heading">{ lang.pick("直达答案", "Direct answers") }</h2>
            <ul class="nx-answers__list">
                if let Some(first) = cards.numbers.first() {
                    <NumberCard entry={first.clone()} others={cards.numbers.len() - 1}
                        links={props.links.clone()} today={props.today} />
                }
                if !cards.fees.is_empty() {
                    <FeeCard items={cards.fees.clone()} total={cards.fee_total}
                        words={cards.fee_words.clone()} links={props.links.clone()} />
                }
                { for cards.consultations.iter().map(|consultation| html! {
                    <ConsultationCard key={consultation.id.clone()} consultation={consultation.clone()}
                        links={props.links.clone()} />
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct NumberCardProps {
    pub entry: LookupEntry,
    /// How many other versions bear the number.
    pub others: usize,
    pub links: AnswerLinks,
    pub today: Date,
}

/// The document a number names: its status today, what changed it, its 解读.
#[function_component(NumberCard)]
pub fn number_card(props: &NumberCardProps) -> Html {
    let lang = use_lang();
    let entry = &props.entry;
    let status = entry.status_on(props.today);
    let number = entry.number.clone().unwrap_or_default();
    let lookup = link_to(&props.links.validity_page, "wh", &number);
    html! {
        <li class="nx-answer nx-answer--number">
            <DocTitle class="nx-answer__title" title={entry.title.clone()} url={entry.url.clone().map(AttrValue::from)} />
            { status_line(&status, lang) }
            if let Some(change) = status_change(&status) {
                <p class="nx-answer__line">{ change_sentence(change, lang) }</p>
            }
            <p class="nx-answer__line nx-answer__links">
                { number.clone() }
                if let Some(url) = &entry.interpretation_url {
                    { " · " }<a href={url.clone()}>{ lang.pick("政策解读", "Interpretation") }</a>
                }
                { " · " }<a href={lookup}>{
                    if props.others > 0 {
                        lang.pick(format!("另有{}个版本，查看全部", props.others), format!("{} more versions", props.others))
                    } else {
                        lang.pick("在文件库中查看".to_string(), "In the register".to_string())
                    }
                }</a>
            </p>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct FeeCardProps {
    pub items: Vec<FeeLine>,
    pub total: usize,
    pub words: String,
    pub links: AnswerLinks,
}

/// The fee items named: amount with its unit, and the legal basis.
#[function_component(FeeCard)]
pub fn fee_card(props: &FeeCardProps) -> Html {
    let lang = use_lang();
    let list = link_to(&props.links.fees_page, "fq", &props.words);
    html! {
        <li class="nx-answer nx-answer--fee">
            <h3 class="nx-answer__title">{ lang.pick("收费标准", "Fees") }</h3>
            <ul class="nx-answer__fees">
                { for props.items.iter().map(|item| {
                    let basis = &item.basis;
                    html! {
                        <li>
                            <span class="nx-answer__fee-name">{ item.name.clone() }</span>{ "：" }
                            <strong>{ item.standard.clone() }</strong>
                            if !basis.is_empty() {
                                <span class="nx-answer__basis">{ lang.pick(format!("（依据：{}）", basis.join("；")), format!(" (basis: {})", basis.join("; "))) }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            <p class="nx-answer__line"><a href={list}>{
                if props.total > props.items.len() {
                    lang.pick(format!("共{}项，在收费清单中查看全部", props.total), format!("All {} items in the fee list", props.total))
                } else {
                    lang.pick("在收费清单中查看".to_string(), "In the fee list".to_string())
                }
            }</a></p>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsultationCardProps {
    pub consultation: Consultation,
    pub links: AnswerLinks,
}

/// An open consultation on the topic: its deadline and the way to give an opinion.
#[function_component(ConsultationCard)]
pub fn consultation_card(props: &ConsultationCardProps) -> Html {
    let lang = use_lang();
    let c = &props.consultation;
    let form = link_to(&props.links.consultation_page, "zq", &c.id);
    html! {
        <li class="nx-answer nx-answer--consultation">
            <h3 class="nx-answer__title">{ c.title.clone() }</h3>
            <p class="nx-answer__line">
                { lang.pick(format!("正在征求意见，截止日期 {}", c.end), format!("Open for opinions until {}", c.end)) }
                { " · " }<a href={form}>{ lang.pick("我要提意见", "Give your opinion") }</a>
            </p>
        </li>
    }
}
