//! A tiny HTTP/1.1 server on 127.0.0.1 for the tests: each request goes to
//! a handler on its own thread. Enough for yt-dlp (GET/HEAD, Range) and
//! the summary client (POST JSON).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// What the handler answers.
pub enum Reply {
    /// Status, content type, body.
    Body(u16, &'static str, Vec<u8>),
    /// Keep the connection open and never answer (a stalled server).
    Stall,
}

/// A running server; it stops when the test process ends.
pub struct Server {
    pub port: u16,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Starts a server answering with `handler`.
pub fn serve(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &*handler);
            });
        }
    });
    Server { port }
}

fn handle(stream: TcpStream, handler: &dyn Fn(&Request) -> Reply) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("/").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        let req = Request {
            method,
            path,
            headers,
            body,
        };
        match handler(&req) {
            Reply::Stall => {
                std::thread::sleep(std::time::Duration::from_secs(3600));
                return Ok(());
            }
            Reply::Body(status, ctype, data) => {
                let reason = if status == 200 { "OK" } else { "Error" };
                let head = format!(
                    "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
                    data.len()
                );
                out.write_all(head.as_bytes())?;
                if req.method != "HEAD" {
                    out.write_all(&data)?;
                }
                out.flush()?;
            }
        }
    }
}

/// Serves the files of `files` (URL path → bytes), honouring Range
/// requests (206), as a plain static file server does; 404 otherwise.
pub fn serve_files(files: HashMap<String, Vec<u8>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let files = files.clone();
            std::thread::spawn(move || {
                let _ = handle_files(stream, &files);
            });
        }
    });
    Server { port }
}

fn handle_files(stream: TcpStream, files: &HashMap<String, Vec<u8>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts
            .next()
            .unwrap_or("/")
            .split('?')
            .next()
            .unwrap_or("/")
            .to_string();
        let mut range: Option<(usize, Option<usize>)> = None;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.trim().eq_ignore_ascii_case("range") {
                    if let Some(spec) = v.trim().strip_prefix("bytes=") {
                        let (a, b) = spec.split_once('-').unwrap_or((spec, ""));
                        range = a.parse().ok().map(|a| (a, b.parse().ok()));
                    }
                }
            }
        }
        let Some(data) = files.get(&path) else {
            out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")?;
            continue;
        };
        let ctype = if path.ends_with(".vtt") {
            "text/vtt"
        } else if path.ends_with(".html") {
            "text/html"
        } else {
            "video/mp4"
        };
        let (status, from, to) = match range {
            Some((a, b)) if a < data.len() => {
                (206, a, b.map_or(data.len() - 1, |b| b.min(data.len() - 1)))
            }
            _ => (200, 0, data.len().saturating_sub(1)),
        };
        let slice = if data.is_empty() {
            &data[..]
        } else {
            &data[from..=to]
        };
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nAccept-Ranges: bytes\r\nContent-Length: {}\r\n",
            if status == 206 { "Partial Content" } else { "OK" },
            slice.len()
        );
        if status == 206 {
            head.push_str(&format!(
                "Content-Range: bytes {from}-{to}/{}\r\n",
                data.len()
            ));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if method != "HEAD" {
            out.write_all(slice)?;
        }
        out.flush()?;
    }
}
