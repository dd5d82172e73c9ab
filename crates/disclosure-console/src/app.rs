//! The console's effects: the session check, each screen's data, and one request per
//! [`Command`], all through `fetch` with the session cookie (same origin) and the CSRF
//! token on every change.

use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::state::{Action, ConsoleState, Loaded, Me, Screen};
use crate::view::{Command, ConsoleView};

type Dispatch = UseReducerDispatcher<ConsoleState>;

/// What a request sends.
enum Body {
    None,
    Json(Value),
    File(web_sys::File),
}

/// An answer: its status and text.
struct Reply {
    status: u16,
    text: String,
}

/// No answer from the server: the network, or a browser that cannot make the request. Its
/// `Display` is the sentence the official reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("无法连接服务器，请检查网络后重试。")]
struct Unreachable;

/// Sends one request with the session cookie (and `csrf` as `X-CSRF-Token`); any answer,
/// whatever its status, is a [`Reply`].
async fn call(
    method: &str,
    url: &str,
    body: Body,
    csrf: Option<&str>,
) -> Result<Reply, Unreachable> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| Unreachable)?;
    if let Some(csrf) = csrf {
        let _ = headers.set("X-CSRF-Token", csrf);
    }
    match body {
        Body::None => {}
        Body::Json(value) => {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&wasm_bindgen::JsValue::from_str(&value.to_string()));
        }
        Body::File(file) => {
            let name: String = js_sys::encode_uri_component(&file.name()).into();
            let _ = headers.set("X-File-Name", &name);
            let _ = headers.set("Content-Type", "application/octet-stream");
            init.set_body(&file);
        }
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(Unreachable)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| Unreachable)?;
    let response: web_sys::Response = response.unchecked_into();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok(Reply {
        status: response.status(),
        text,
    })
}

/// The sentence of a refusal (`{"error": …}`), or a general one.
fn refusal(reply: &Reply) -> String {
    serde_json::from_str::<Value>(&reply.text)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string))
        .unwrap_or_else(|| format!("操作未完成（HTTP {}），请稍后重试。", reply.status))
}

/// Reports a failed answer: a 401 ends the session, anything else is said.
fn failed(dispatch: &Dispatch, reply: &Reply) {
    if reply.status == 401 {
        dispatch.dispatch(Action::SignedOut(Some(refusal(reply))));
    } else {
        dispatch.dispatch(Action::Failed(refusal(reply)));
    }
}

async fn get<T: DeserializeOwned>(url: &str, dispatch: &Dispatch) -> Option<T> {
    match call("GET", url, Body::None, None).await {
        Ok(reply) if reply.status == 200 => match serde_json::from_str(&reply.text) {
            Ok(value) => Some(value),
            Err(_) => {
                dispatch.dispatch(Action::Failed("服务器的回答无法读取，请刷新页面。".into()));
                None
            }
        },
        Ok(reply) => {
            failed(dispatch, &reply);
            None
        }
        Err(unreachable) => {
            dispatch.dispatch(Action::Failed(unreachable.to_string()));
            None
        }
    }
}

async fn load(screen: Screen, dispatch: Dispatch) {
    let loaded = match screen {
        Screen::SignIn | Screen::Edit(None) => return,
        Screen::Consultations => get("/api/officials/consultations", &dispatch)
            .await
            .map(Loaded::Consultations),
        Screen::Review(id) => get(&format!("/api/officials/consultations/{id}/opinions"), &dispatch)
            .await
            .map(Loaded::Review),
        Screen::Edit(Some(id)) => get(&format!("/api/officials/consultations/{id}"), &dispatch)
            .await
            .map(Loaded::Editing),
        Screen::Accounts => get("/api/officials/accounts", &dispatch).await.map(Loaded::Accounts),
        Screen::Audit => get("/api/officials/audit", &dispatch).await.map(Loaded::Audit),
        Screen::Catalogue(year) => get(&format!("/api/officials/catalogue/year/{year}"), &dispatch)
            .await
            .map(Loaded::Catalogue),
    };
    if let Some(loaded) = loaded {
        dispatch.dispatch(Action::Loaded(Box::new(loaded)));
    }
}

/// Sends a change and reports it: `done` on success (2xx), the refusal otherwise.
async fn change(method: &str, url: &str, body: Body, me: &Me, dispatch: &Dispatch, done: &str) -> Option<Reply> {
    dispatch.dispatch(Action::Busy);
    match call(method, url, body, Some(&me.csrf)).await {
        Ok(reply) if (200..300).contains(&reply.status) => {
            dispatch.dispatch(Action::Done(done.to_string()));
            Some(reply)
        }
        Ok(reply) => {
            failed(dispatch, &reply);
            None
        }
        Err(unreachable) => {
            dispatch.dispatch(Action::Failed(unreachable.to_string()));
            None
        }
    }
}

fn with_revision(mut value: Value, revision: i64) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.insert("revision".into(), json!(revision));
    }
    value
}

async fn run(command: Command, me: Option<Me>, dispatch: Dispatch) {
    if let Command::SignIn { name, password } = &command {
        dispatch.dispatch(Action::Busy);
        let body = Body::Json(json!({"name": name, "password": password}));
        match call("POST", "/api/officials/session", body, None).await {
            Ok(reply) if reply.status == 200 => match serde_json::from_str::<Me>(&reply.text) {
                Ok(me) => dispatch.dispatch(Action::SignedIn(me)),
                Err(_) => dispatch.dispatch(Action::Failed("服务器的回答无法读取，请刷新页面。".into())),
            },
            Ok(reply) => dispatch.dispatch(Action::Failed(refusal(&reply))),
            Err(unreachable) => dispatch.dispatch(Action::Failed(unreachable.to_string())),
        }
        return;
    }
    let Some(me) = me else {
        dispatch.dispatch(Action::SignedOut(Some("请先登录。".into())));
        return;
    };
    match command {
        Command::SignIn { .. } => {}
        Command::SignOut => {
            let _ = call("DELETE", "/api/officials/session", Body::None, Some(&me.csrf)).await;
            dispatch.dispatch(Action::SignedOut(Some("已退出登录。".into())));
        }
        Command::Go(screen) => dispatch.dispatch(Action::Show(screen)),
        Command::Complain(text) => dispatch.dispatch(Action::Failed(text)),
        Command::Moderate { receipt, revision, moderation } => {
            let body = with_revision(serde_json::to_value(&moderation).unwrap_or(Value::Null), revision);
            let url = format!("/api/officials/opinions/{receipt}/moderation");
            change("PUT", &url, Body::Json(body), &me, &dispatch, &format!("已保存回执{receipt}的审核结果。")).await;
        }
        Command::Respond { receipt, revision, verdict, reason } => {
            let body = json!({"verdict": verdict, "reason": reason, "revision": revision});
            let url = format!("/api/officials/opinions/{receipt}/response");
            change("PUT", &url, Body::Json(body), &me, &dispatch, &format!("已保存回执{receipt}的答复。")).await;
        }
        Command::Statement { id, text } => {
            let url = format!("/api/officials/consultations/{id}/statement");
            change("PUT", &url, Body::Json(json!({"statement": text})), &me, &dispatch, "已保存意见采纳情况说明。").await;
        }
        Command::Publish(id) => {
            let url = format!("/api/officials/consultations/{id}/publish");
            change("POST", &url, Body::None, &me, &dispatch, "征集结果已公布。").await;
        }
        Command::Save { id: None, form, .. } => {
            let new_id = form["id"].as_str().unwrap_or_default().to_string();
            if change("POST", "/api/officials/consultations", Body::Json(form), &me, &dispatch, "已保存。").await.is_some() {
                dispatch.dispatch(Action::Show(Screen::Edit(Some(new_id))));
                dispatch.dispatch(Action::Done("已保存为草稿。可以上传征求意见稿了。".into()));
            }
        }
        Command::Save { id: Some(id), revision, form } => {
            let url = format!("/api/officials/consultations/{id}");
            change("PUT", &url, Body::Json(with_revision(form, revision)), &me, &dispatch, "已保存。").await;
        }
        Command::Upload { id, role, input } => {
            let file = input
                .cast::<web_sys::HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|files| files.get(0));
            let Some(file) = file else {
                dispatch.dispatch(Action::Failed("请先选择要上传的文件。".into()));
                return;
            };
            let url = format!("/api/officials/consultations/{id}/files/{role}");
            change("POST", &url, Body::File(file), &me, &dispatch, "文件已上传。").await;
        }
        Command::Open(id) => {
            let url = format!("/api/officials/consultations/{id}/open");
            change("POST", &url, Body::None, &me, &dispatch, "意见征集已开始，公众现在可以看到并提交意见。").await;
        }
        Command::CreateAccount { name, password, roles } => {
            let body = json!({"name": name, "password": password, "roles": roles});
            change("POST", "/api/officials/accounts", Body::Json(body), &me, &dispatch, "账户已创建。").await;
        }
        Command::Contacts(receipt) => {
            let url = format!("/api/officials/opinions/{receipt}/contacts");
            if let Some(contact) = get::<Value>(&url, &dispatch).await {
                let parts: Vec<String> = [("电话", "phone"), ("电子邮箱", "email")]
                    .iter()
                    .filter_map(|(word, key)| contact[*key].as_str().map(|v| format!("{word} {v}")))
                    .collect();
                let text = if parts.is_empty() { "未留联系方式".to_string() } else { parts.join("，") };
                dispatch.dispatch(Action::Loaded(Box::new(Loaded::Contacts(receipt, text))));
            }
        }
        Command::AddDecision(form) => {
            change("POST", "/api/officials/catalogue", Body::Json(form), &me, &dispatch, "已加入目录。").await;
        }
        Command::EditDecision { id, revision, form } => {
            let url = format!("/api/officials/catalogue/{id}");
            change("PUT", &url, Body::Json(with_revision(form, revision)), &me, &dispatch, "已更新目录事项。").await;
        }
        Command::SetRoles { name, roles } => {
            let url = format!("/api/officials/accounts/{}", js_sys::encode_uri_component(&name));
            change("PUT", &url, Body::Json(json!({"roles": roles})), &me, &dispatch, "角色已保存。").await;
        }
        Command::Disable { name, disabled } => {
            let url = format!("/api/officials/accounts/{}", js_sys::encode_uri_component(&name));
            let done = if disabled { "账户已停用。" } else { "账户已启用。" };
            change("PUT", &url, Body::Json(json!({"disabled": disabled})), &me, &dispatch, done).await;
        }
        Command::Unlock(name) => {
            let url = format!("/api/officials/accounts/{}", js_sys::encode_uri_component(&name));
            change("PUT", &url, Body::Json(json!({"unlock": true})), &me, &dispatch, "账户已解锁。").await;
        }
    }
}

/// The console: checks the session, then shows the screen the official chose.
#[function_component(Console)]
pub fn console() -> Html {
    let state = use_reducer(ConsoleState::default);
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match call("GET", "/api/officials/session", Body::None, None).await {
                    Ok(reply) if reply.status == 200 => match serde_json::from_str::<Me>(&reply.text) {
                        Ok(me) => dispatch.dispatch(Action::SignedIn(me)),
                        Err(_) => dispatch.dispatch(Action::SignedOut(None)),
                    },
                    _ => dispatch.dispatch(Action::SignedOut(None)),
                }
            });
        });
    }
    {
        let dispatch = state.dispatcher();
        let signed_in = state.me.is_some();
        use_effect_with((state.screen.clone(), state.generation, signed_in), move |(screen, _, signed_in)| {
            if let (Some(screen), true) = (screen.clone(), *signed_in) {
                spawn_local(load(screen, dispatch));
            }
        });
    }
    let on = {
        let me = state.me.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |command: Command| {
            spawn_local(run(command, me.clone(), dispatch.clone()));
        })
    };
    html! { <ConsoleView state={Rc::new((*state).clone())} {on} /> }
}
