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
    /// Status, content type, extra headers, body.
    With(u16, &'static str, Vec<String>, Vec<u8>),
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
            reply => {
                let (status, ctype, extra, data) = match reply {
                    Reply::Body(s, c, d) => (s, c, Vec::new(), d),
                    Reply::With(s, c, h, d) => (s, c, h, d),
                    Reply::Stall => unreachable!(),
                };
                let reason = match status {
                    200 => "OK",
                    206 => "Partial Content",
                    404 => "Not Found",
                    _ => "Error",
                };
                let mut head = format!(
                    "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n",
                    data.len()
                );
                for h in extra {
                    head.push_str(&h);
                    head.push_str("\r\n");
                }
                head.push_str("\r\n");
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
    serve(move |req| {
        let path = req.path.split('?').next().unwrap_or("/");
        let Some(data) = files.get(path) else {
            return Reply::Body(404, "text/plain", Vec::new());
        };
        let ctype = if path.ends_with(".vtt") {
            "text/vtt"
        } else if path.ends_with(".html") {
            "text/html"
        } else {
            "video/mp4"
        };
        let range = req
            .headers
            .get("range")
            .and_then(|v| v.strip_prefix("bytes="))
            .and_then(|spec| {
                let (a, b) = spec.split_once('-')?;
                Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()))
            });
        let mut headers = vec!["Accept-Ranges: bytes".to_string()];
        match range {
            Some((from, to)) if from < data.len() => {
                let to = to.map_or(data.len() - 1, |t| t.min(data.len() - 1));
                headers.push(format!("Content-Range: bytes {from}-{to}/{}", data.len()));
                Reply::With(206, ctype, headers, data[from..=to].to_vec())
            }
            _ => Reply::With(200, ctype, headers, data.clone()),
        }
    })
}
