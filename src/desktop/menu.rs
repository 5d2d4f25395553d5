//! The window's menu: reload the pages, change the server, find the data folder, quit.

use super::view::{DATA, QUIT, RELOAD, SERVER};
use dioxus::desktop::muda::accelerator::{Accelerator, Code, Modifiers};
use dioxus::desktop::muda::{Menu, MenuItem, PredefinedMenuItem, Submenu};

pub fn build() -> Menu {
    let ctrl = |code| Some(Accelerator::new(Some(Modifiers::CONTROL), code));
    let app = Submenu::with_items(
        "Sales",
        true,
        &[
            &MenuItem::with_id(RELOAD, "Reload", true, ctrl(Code::KeyR)),
            &MenuItem::with_id(SERVER, "Server address…", true, None),
            &MenuItem::with_id(DATA, "Data folder…", true, None),
            &PredefinedMenuItem::separator(),
            &MenuItem::with_id(QUIT, "Quit", true, ctrl(Code::KeyQ)),
        ],
    )
    .expect("a fixed menu is valid");
    Menu::with_items(&[&app]).expect("a fixed menu is valid")
}
