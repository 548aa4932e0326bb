//! The page's side of the audio player: one `AudioContext` with the
//! `lanes-player` AudioWorklet (`www/audio-worklet.js`), made on the first
//! playback and kept, and what its messages say.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AudioContext, AudioContextState, AudioWorkletNode, MessageEvent};

use crate::WebError;

/// The worklet's script, beside the page.
const WORKLET_URL: &str = "audio-worklet.js";
/// How long the context may take to start playing, ms.
const START_MS: i32 = 3_000;

/// Why this page cannot play the audio lesson live, in words; `None` when
/// it can. Feature-detected: an AudioWorklet, and memory shared between the
/// producer and the player (a cross-origin isolated page).
pub fn audio_unavailable() -> Option<&'static str> {
    let global = js_sys::global();
    let has = |name: &str| {
        Reflect::get(&global, &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined())
    };
    if !has("AudioContext") || !has("AudioWorkletNode") {
        Some("this browser has no AudioWorklet, the audio callback the lesson plays through")
    } else if !crate::cross_origin_isolated() {
        Some(
            "the producer and the audio callback need memory they share, which a page has only \
             when it is cross-origin isolated",
        )
    } else if !has("SharedArrayBuffer") {
        Some(
            "this browser has no SharedArrayBuffer, the memory the producer and the audio \
             callback would share",
        )
    } else {
        None
    }
}

/// The worklet's log of one playback, once it played the last block or was
/// stopped: each block's due time and silence (ms, `Date.now()`), and
/// `[ms, frames]` fill samples, flat.
#[derive(Debug, Default)]
pub(crate) struct Heard {
    pub(crate) due: Vec<f64>,
    pub(crate) late: Vec<f64>,
    pub(crate) fill: Vec<f64>,
    /// Cut short by a stop.
    pub(crate) stopped: bool,
}

/// The playback in progress: its id and where its log goes.
type Listener = Rc<RefCell<Option<(u32, oneshot::Sender<Heard>)>>>;

/// The context, the worklet and who listens to it.
struct Player {
    context: AudioContext,
    node: AudioWorkletNode,
    /// What the device takes at once, frames, as the worklet measured it.
    burst: Rc<Cell<u32>>,
    /// Underruns of the playback in progress, as the worklet counts them.
    underruns: Rc<Cell<u32>>,
    /// The playback in progress: its id and where its messages go.
    listener: Listener,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

thread_local! {
    static PLAYER: RefCell<Option<Rc<Player>>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// A playback the worklet is told about: its messages arrive on `heard`.
pub(crate) struct Playback {
    player: Rc<Player>,
    /// Its id in the worklet's messages.
    pub(crate) id: u32,
    /// What the worklet heard, when it ends.
    pub(crate) heard: oneshot::Receiver<Heard>,
    /// Whether [`Self::stop`] was called.
    stopped: Cell<bool>,
}

impl Playback {
    /// Starts playing the ring at `header`/`data` in `memory` (a wasm
    /// memory's `SharedArrayBuffer`) once it is full, at `gain` (0: silent).
    pub(crate) fn start(
        memory: &JsValue,
        header: u32,
        data: u32,
        gain: f64,
    ) -> Result<Self, WebError> {
        let player = PLAYER
            .with(|p| p.borrow().clone())
            .ok_or_else(|| WebError::Audio("the audio player is not ready".to_owned()))?;
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1));
            id
        });
        let (tell, heard) = oneshot::channel();
        *player.listener.borrow_mut() = Some((id, tell));
        player.underruns.set(0);
        let message = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&message, &JsValue::from_str(k), v);
        set("type", &"play".into())
            .and_then(|_| set("id", &id.into()))
            .and_then(|_| set("buffer", memory))
            .and_then(|_| set("header", &header.into()))
            .and_then(|_| set("data", &data.into()))
            .and_then(|_| set("gain", &gain.into()))
            .map_err(|e| WebError::Audio(describe(&e)))?;
        post(&player, &message)?;
        Ok(Self {
            player,
            id,
            heard,
            stopped: Cell::new(false),
        })
    }

    /// Whether it was stopped here (a stopped log is then expected).
    pub(crate) fn was_stopped(&self) -> bool {
        self.stopped.get()
    }

    /// Ends the playback now (Cancel, or a producer that failed); the
    /// worklet answers with its log, marked stopped.
    pub(crate) fn stop(&self) {
        self.stopped.set(true);
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"stop".into());
        let _ = post(&self.player, &message);
    }
}

/// The player's sample rate, frames per second.
pub(crate) fn sample_rate() -> Result<u32, WebError> {
    PLAYER
        .with(|p| p.borrow().as_ref().map(|p| p.context.sample_rate() as u32))
        .ok_or_else(|| WebError::Audio("the audio player is not ready".to_owned()))
}

impl Drop for Playback {
    fn drop(&mut self) {
        let mut listener = self.player.listener.borrow_mut();
        if listener.as_ref().is_some_and(|(id, _)| *id == self.id) {
            *listener = None;
        }
    }
}

/// Underruns of the playback in progress so far, as the worklet counts
/// them (0 when none plays).
pub fn live_underruns() -> u32 {
    PLAYER.with(|p| p.borrow().as_ref().map_or(0, |p| p.underruns.get()))
}

/// Sets the volume of what plays, now and in later playbacks (0: silent).
pub fn set_gain(gain: f64) {
    if let Some(player) = PLAYER.with(|p| p.borrow().clone()) {
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"gain".into());
        let _ = Reflect::set(&message, &"gain".into(), &gain.into());
        let _ = post(&player, &message);
    }
}

fn post(player: &Player, message: &Object) -> Result<(), WebError> {
    player
        .node
        .port()
        .and_then(|port| port.post_message(message))
        .map_err(|e| WebError::Audio(describe(&e)))
}

/// Makes the player if there is none yet, and makes sure it plays; resolves
/// with what the device takes at once (frames).
pub(crate) async fn ready() -> Result<u32, WebError> {
    if let Some(why) = audio_unavailable() {
        return Err(WebError::NoAudio(why));
    }
    let player = match PLAYER.with(|p| p.borrow().clone()) {
        Some(player) => player,
        None => {
            let player = Rc::new(make().await?);
            PLAYER.with(|p| *p.borrow_mut() = Some(Rc::clone(&player)));
            player
        }
    };
    if player.context.state() != AudioContextState::Running {
        let resumed = player
            .context
            .resume()
            .map_err(|e| WebError::Audio(describe(&e)))?;
        // A browser that wants a click first leaves the promise pending.
        let started =
            js_sys::Promise::race(&js_sys::Array::of2(&resumed, &sleep_promise(START_MS)));
        let _ = JsFuture::from(started).await;
        if player.context.state() != AudioContextState::Running {
            return Err(WebError::Audio(
                "the browser did not let the page start its sound: press Run (a click allows it)"
                    .to_owned(),
            ));
        }
    }
    // The worklet tells its device's burst after a few of them.
    for _ in 0..40 {
        if player.burst.get() > 0 {
            break;
        }
        crate::after_ms(25).await;
    }
    Ok(match player.burst.get() {
        0 => lanes_model::playback::SIM_DEVICE_BURST_FRAMES,
        frames => frames,
    })
}

fn sleep_promise(ms: i32) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })
}

async fn make() -> Result<Player, WebError> {
    let context = AudioContext::new().map_err(|e| WebError::Audio(describe(&e)))?;
    let worklet = context
        .audio_worklet()
        .map_err(|e| WebError::Audio(describe(&e)))?;
    let added = worklet
        .add_module(WORKLET_URL)
        .map_err(|e| WebError::Audio(describe(&e)))?;
    JsFuture::from(added)
        .await
        .map_err(|e| WebError::Audio(format!("its script did not load: {}", describe(&e))))?;
    let options = web_sys::AudioWorkletNodeOptions::new();
    options.set_number_of_inputs(0);
    options.set_output_channel_count(&js_sys::Array::of1(&2.into()));
    let node = AudioWorkletNode::new_with_options(&context, "lanes-player", &options)
        .map_err(|e| WebError::Audio(describe(&e)))?;
    node.connect_with_audio_node(&context.destination())
        .map_err(|e| WebError::Audio(describe(&e)))?;
    let burst = Rc::new(Cell::new(0));
    let underruns = Rc::new(Cell::new(0));
    let listener: Listener = Rc::default();
    let on_message = {
        let (burst, underruns, listener) = (
            Rc::clone(&burst),
            Rc::clone(&underruns),
            Rc::clone(&listener),
        );
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let text = |k: &str| {
                Reflect::get(&data, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            let number = |k: &str| Reflect::get(&data, &k.into()).ok().and_then(|v| v.as_f64());
            let numbers = |k: &str| {
                Reflect::get(&data, &k.into())
                    .ok()
                    .filter(|v| v.is_object())
                    .map(|v| {
                        js_sys::Array::from(&v)
                            .iter()
                            .filter_map(|x| x.as_f64())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let id = number("id").map(|n| n as u32);
            let kind = text("type").unwrap_or_default();
            if kind == "burst" {
                burst.set(number("frames").unwrap_or(0.0) as u32);
                return;
            }
            let mut listener = listener.borrow_mut();
            if listener.as_ref().map(|(current, _)| *current) != id {
                return;
            }
            match kind.as_str() {
                "underruns" => underruns.set(number("count").unwrap_or(0.0) as u32),
                "done" => {
                    let heard = Heard {
                        due: numbers("due"),
                        late: numbers("late"),
                        fill: numbers("fill"),
                        stopped: Reflect::get(&data, &"stopped".into())
                            .ok()
                            .and_then(|v| v.as_bool())
                            .unwrap_or(true),
                    };
                    if let Some((_, tell)) = listener.take() {
                        // The run may have gone on without listening.
                        let _ = tell.send(heard);
                    }
                }
                _ => {}
            }
        })
    };
    node.port()
        .map_err(|e| WebError::Audio(describe(&e)))?
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok(Player {
        context,
        node,
        burst,
        underruns,
        listener,
        _on_message: on_message,
    })
}

/// A thrown value in words.
fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
