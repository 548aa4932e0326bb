//! What the examples share: a font for the bitmap backend, and PNG output.

#![allow(dead_code, reason = "each example uses a different part")]

use std::path::{Path, PathBuf};

use plotters::style::FontStyle;

/// Registers a sans-serif font for the bitmap backend; whether one was
/// found: `LANES_FONT`, or else the first of a few common system fonts.
#[expect(clippy::print_stderr, reason = "examples report on the terminal")]
pub fn register_font() -> bool {
    let dir = PathBuf::from("/usr/share/fonts/truetype");
    let candidates = [
        (
            dir.join("liberation/LiberationSans-Regular.ttf"),
            dir.join("liberation/LiberationSans-Bold.ttf"),
        ),
        (
            dir.join("dejavu/DejaVuSans.ttf"),
            dir.join("dejavu/DejaVuSans-Bold.ttf"),
        ),
    ];
    let from_env = std::env::var_os("LANES_FONT").map(|p| (PathBuf::from(&p), PathBuf::from(p)));
    for (regular, bold) in from_env.into_iter().chain(candidates) {
        let Ok(bytes) = std::fs::read(&regular) else {
            continue;
        };
        // plotters keeps fonts for the life of the program.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_err() {
            continue;
        }
        if let Ok(bold) = std::fs::read(&bold) {
            let bold: &'static [u8] = Box::leak(bold.into_boxed_slice());
            // Without it, bold text falls back to the regular face.
            let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, bold);
        }
        eprintln!("text drawn with {}", regular.display());
        return true;
    }
    eprintln!("no font found (set LANES_FONT): text is skipped");
    false
}

/// Writes RGB `pixels` of a `width` × `height` picture as a PNG file,
/// uncompressed (stored deflate blocks), so that no encoder is needed.
pub fn write_png(path: &Path, width: u32, height: u32, pixels: &[u8]) -> std::io::Result<()> {
    let row = width as usize * 3;
    let mut raw = Vec::with_capacity((row + 1) * height as usize);
    for line in pixels.chunks(row).take(height as usize) {
        raw.push(0); // no filter
        raw.extend_from_slice(line);
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(0xFFFF).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", &ihdr[..]),
        (b"IDAT", &zlib[..]),
        (b"IEND", &[][..]),
    ] {
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        png.extend_from_slice(&len.to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    std::fs::write(path, png)
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1_u32, 0_u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
