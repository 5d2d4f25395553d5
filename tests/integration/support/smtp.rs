//! A real SMTP server on loopback for the tests: it speaks the protocol lettre uses (EHLO,
//! MAIL, RCPT, DATA, QUIT) and keeps every message it receives for the test to read. It can
//! be told to refuse the next recipients with a permanent error, as a real server refuses an
//! unknown mailbox.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The PDF attached to the message: the base64 body of its `application/pdf` part.
    pub fn pdf_attachment(&self) -> Vec<u8> {
        use base64::Engine;
        let part = self
            .data
            .split("application/pdf")
            .nth(1)
            .expect("a PDF part");
        let body = part.split("\n\n").nth(1).expect("the part's body");
        let b64: String = body
            .lines()
            .take_while(|l| !l.starts_with("--"))
            .collect::<Vec<_>>()
            .concat();
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .expect("base64")
    }
}

/// What the server answers a refused recipient.
pub const REFUSAL: &str = "550 5.1.1 mailbox unavailable";

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Mail>>>,
    /// The names clients gave in EHLO.
    hellos: Arc<Mutex<Vec<String>>>,
    /// Recipients still to refuse.
    refusals: Arc<AtomicUsize>,
}

impl SmtpServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let hellos = Arc::new(Mutex::new(Vec::new()));
        let refusals = Arc::new(AtomicUsize::new(0));
        let (sink, names, refuse) = (inbox.clone(), hellos.clone(), refusals.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (sink, names, refuse) = (sink.clone(), names.clone(), refuse.clone());
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let mut to = Vec::new();
                    write.write_all(b"220 test-smtp ready\r\n").await.ok();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let refused = format!("{REFUSAL}\r\n");
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            names.lock().unwrap().push(line[4..].trim().to_string());
                            b"250-test-smtp\r\n250 8BITMIME\r\n"
                        } else if upper.starts_with("MAIL FROM") {
                            to.clear();
                            b"250 ok\r\n"
                        } else if upper.starts_with("RCPT TO")
                            && refuse
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                                    n.checked_sub(1)
                                })
                                .is_ok()
                        {
                            refused.as_bytes()
                        } else if upper.starts_with("RCPT TO") {
                            to.push(line[8..].trim().trim_matches(['<', '>', ':']).to_string());
                            b"250 ok\r\n"
                        } else if upper == "DATA" {
                            write.write_all(b"354 end with .\r\n").await.ok();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                                data.push('\n');
                            }
                            sink.lock().unwrap().push(Mail {
                                to: to.clone(),
                                data,
                            });
                            b"250 queued\r\n"
                        } else if upper == "QUIT" {
                            write.write_all(b"221 bye\r\n").await.ok();
                            break;
                        } else {
                            b"250 ok\r\n"
                        };
                        write.write_all(reply).await.ok();
                    }
                });
            }
        });
        SmtpServer {
            port,
            inbox,
            hellos,
            refusals,
        }
    }

    /// Refuse the next `n` recipients with `REFUSAL`.
    pub fn refuse(&self, n: usize) {
        self.refusals.store(n, Ordering::SeqCst);
    }

    /// The names clients introduced themselves with (EHLO).
    pub fn hellos(&self) -> Vec<String> {
        self.hellos.lock().unwrap().clone()
    }

    /// The settings that point the app at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SMTP_HOST", "127.0.0.1".into()),
            ("SMTP_PORT", self.port.to_string()),
            ("SMTP_TLS", "none".into()),
            ("SMTP_FROM", "Sales <sales@example.com>".into()),
        ]
    }

    pub fn count(&self) -> usize {
        self.inbox.lock().unwrap().len()
    }

    /// How many messages hold `text` (a subject, say).
    pub fn count_containing(&self, text: &str) -> usize {
        let inbox = self.inbox.lock().unwrap();
        inbox.iter().filter(|m| m.data.contains(text)).count()
    }

    /// The Message-IDs of the messages that hold `text`, sorted.
    pub fn message_ids_containing(&self, text: &str) -> Vec<String> {
        let inbox = self.inbox.lock().unwrap();
        let mut ids: Vec<String> = inbox
            .iter()
            .filter(|m| m.data.contains(text))
            .filter_map(|m| {
                m.data
                    .lines()
                    .find_map(|l| l.strip_prefix("Message-ID: "))
                    .map(str::to_string)
            })
            .collect();
        ids.sort();
        ids
    }

    /// How many messages went to `to`.
    pub fn count_to(&self, to: &str) -> usize {
        let inbox = self.inbox.lock().unwrap();
        inbox
            .iter()
            .filter(|m| m.to.iter().any(|t| t == to))
            .count()
    }

    /// Wait (up to 10 s) for a message to `to`.
    pub async fn wait_for(&self, to: &str) -> Mail {
        self.wait_for_text(to, "").await
    }

    /// Wait (up to 10 s) for a message to `to` that holds `text`.
    pub async fn wait_for_text(&self, to: &str, text: &str) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(m) = self
                .inbox
                .lock()
                .unwrap()
                .iter()
                .find(|m| m.to.iter().any(|t| t == to) && m.data.contains(text))
            {
                return m.clone();
            }
            assert!(Instant::now() < deadline, "no mail to {to} arrived");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
