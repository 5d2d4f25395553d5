//! A virtual screen for the desktop tests: an X server (Xvfb), input by xdotool, screenshots
//! by ImageMagick, and what the screen says read back by tesseract. The window is driven the
//! way a person would: find a word, click it, type.

use crate::process::ChildGuard;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A word tesseract found, with its box in screen pixels.
#[derive(Clone, Debug)]
pub struct Word {
    pub text: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Word {
    pub fn centre(&self) -> (i32, i32) {
        (self.x + self.w / 2, self.y + self.h / 2)
    }
}

pub struct Screen {
    _xvfb: ChildGuard,
    pub display: String,
}

impl Screen {
    /// A 1280×800 X server on a display number nothing else uses.
    pub fn start() -> Self {
        let n = (90..190)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .expect("a free X display number");
        let display = format!(":{n}");
        let xvfb = ChildGuard(
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb (scripts/setup --desktop installs it)"),
        );
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "Xvfb did not start on {display}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            _xvfb: xvfb,
            display,
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> std::process::Output {
        let out = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("run {program} (scripts/setup --desktop): {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The whole screen as `target/e2e-screenshots/<name>.png`.
    pub fn shot(&self, name: &str) -> PathBuf {
        let path = crate::process::screenshot_dir().join(format!("{name}.png"));
        self.run("import", &["-window", "root", path.to_str().unwrap()]);
        path
    }

    /// The words on a screenshot, as tesseract reads them. It reads three versions, all at
    /// twice the size, because each misses something the others find: grey (the dark
    /// sidebar), negated (white on a dark button) and black-and-white at 65% (blue links).
    pub fn words(png: &Path) -> Vec<Word> {
        let variants: [&[&str]; 3] = [&[], &["-negate"], &["-threshold", "65%"]];
        variants
            .iter()
            .flat_map(|extra| {
                let prepared = png.with_extension("ocr.png");
                let mut args = vec![
                    png.to_str().unwrap(),
                    "-colorspace",
                    "Gray",
                    "-resize",
                    "200%",
                ];
                args.extend_from_slice(extra);
                args.push(prepared.to_str().unwrap());
                let ok = Command::new("convert").args(&args).status();
                assert!(ok.is_ok_and(|s| s.success()), "convert {args:?}");
                let words = Self::read(&prepared);
                let _ = std::fs::remove_file(&prepared);
                words
            })
            .collect()
    }

    /// tesseract's words on `png`, in the coordinates of the screen (half the image's).
    fn read(png: &Path) -> Vec<Word> {
        let out = Command::new("tesseract")
            .args([png.to_str().unwrap(), "-", "tsv"])
            .stderr(Stdio::null())
            .output()
            .expect("run tesseract (scripts/setup --desktop)");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                let text = f.get(11)?.trim();
                if text.is_empty() {
                    return None;
                }
                let num = |i: usize| f.get(i).and_then(|v| v.parse::<i32>().ok()).map(|v| v / 2);
                Some(Word {
                    text: text.to_string(),
                    x: num(6)?,
                    y: num(7)?,
                    w: num(8)?,
                    h: num(9)?,
                })
            })
            .collect()
    }

    /// Waits until `word` shows where `place` allows; screenshots as `<name>.png`. Panics with
    /// what the screen said when it never does.
    pub fn wait_word(&self, name: &str, word: &str, place: impl Fn(&Word) -> bool) -> Word {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let png = self.shot(name);
            let words = Self::words(&png);
            if let Some(found) = words.iter().find(|w| w.text == word && place(w)) {
                return found.clone();
            }
            if Instant::now() > deadline {
                let said: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
                panic!(
                    "'{word}' never showed (last screenshot {}); the screen said: {}",
                    png.display(),
                    said.join(" ")
                );
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    pub fn click(&self, word: &Word) {
        let (x, y) = word.centre();
        self.run(
            "xdotool",
            &["mousemove", &x.to_string(), &y.to_string(), "click", "1"],
        );
        std::thread::sleep(Duration::from_millis(300));
    }

    pub fn type_text(&self, text: &str) {
        self.run("xdotool", &["type", "--delay", "40", text]);
    }

    pub fn key(&self, key: &str) {
        self.run("xdotool", &["key", key]);
    }

    /// Fills a form from the field under `first`, moving on with Tab, and submits it.
    pub fn fill_form(&self, first: &Word, values: &[&str]) {
        self.click(first);
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.key("Tab");
            }
            self.type_text(value);
        }
        self.key("Return");
    }
}

/// Anywhere on the screen.
pub fn anywhere(_: &Word) -> bool {
    true
}
