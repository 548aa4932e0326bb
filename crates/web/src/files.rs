//! Files in and out of the page: downloads (trace JSON, PNG, SVG) and reading
//! a user's file.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

use crate::WebError;

/// The largest file the page reads, the importer's own limit (200 MB): a
/// bigger trace would not fit in memory once parsed, so it is refused
/// before it is read.
pub const MAX_FILE_BYTES: f64 = lanes_trace::ImportLimits::DEFAULT.max_bytes as f64;

/// Offers `text` to the user as a file download named `filename`.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), WebError> {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| failed("make the file", &e))?;
    download_blob(filename, &blob)
}

/// Offers what `canvas` shows as a PNG download.
pub fn download_canvas_png(canvas: &HtmlCanvasElement, filename: &str) -> Result<(), WebError> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|e| failed("read the canvas", &e))?;
    click_link(filename, &url)
}

fn download_blob(filename: &str, blob: &Blob) -> Result<(), WebError> {
    let url =
        Url::create_object_url_with_blob(blob).map_err(|e| failed("make a download link", &e))?;
    let clicked = click_link(filename, &url);
    // The click has started the download; the URL is no longer needed.
    let _ = Url::revoke_object_url(&url);
    clicked
}

fn click_link(filename: &str, href: &str) -> Result<(), WebError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| WebError::File("the page has no document".to_owned()))?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| failed("make a download link", &e))?
        .unchecked_into();
    link.set_href(href);
    link.set_download(filename);
    link.click();
    Ok(())
}

/// Reads a user's file as bytes (never as a string on the page: the
/// import reads them in a worker), refusing files over [`MAX_FILE_BYTES`]
/// before reading them. Reading is the browser's, off the main thread.
pub async fn read_file_bytes(file: &web_sys::File) -> Result<js_sys::ArrayBuffer, WebError> {
    let size = file.size();
    if size > MAX_FILE_BYTES {
        return Err(WebError::File(format!(
            "{} is {}; the page reads trace files up to {}",
            file.name(),
            lanes_trace::words::byte_size(size as u64),
            lanes_trace::words::byte_size(MAX_FILE_BYTES as u64)
        )));
    }
    let bytes = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| failed(&format!("read {}", file.name()), &e))?;
    bytes
        .dyn_into::<js_sys::ArrayBuffer>()
        .map_err(|_| WebError::File(format!("{} could not be read as bytes", file.name())))
}

fn failed(what: &str, e: &JsValue) -> WebError {
    let why = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_owned());
    WebError::File(format!("could not {what}: {why}"))
}
