//! The log writer of `zego-token serve`: lines are appended to one in-memory queue
//! and a writer thread writes the queue out in batches, on a timer, so a request
//! never waits for the disk or the pipe and never wakes another thread per line.
//!
//! * **Order**: lines are queued under one lock and written in that order.
//! * **Nothing dropped**: when the queue holds [`Batching::max_queued`] bytes (the sink
//!   is slower than the service, or blocked), a line waits for room instead of being
//!   lost.
//! * **Latency**: the queue is written every [`Batching::interval`]; earlier when it
//!   passes [`Batching::high_water`], or at once for a `WARN` or `ERROR` event.
//! * **Shutdown**: dropping the [`FlushGuard`] writes everything queued and joins the
//!   thread; a line logged after that is discarded.
//!
//! `tracing-appender`'s non-blocking writer sends each line over a channel and wakes
//! its worker for it: on a busy 2-core machine that wake-up (a `futex` call and a
//! context switch per request) cost more than formatting the line.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

/// When the writer thread writes the queue out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Batching {
    /// Longest time a line waits in the queue (unless the sink is blocked).
    pub(crate) interval: Duration,
    /// Queue size that wakes the writer thread before the interval ends.
    pub(crate) high_water: usize,
    /// Queue size at which a new line waits for room.
    pub(crate) max_queued: usize,
}

impl Default for Batching {
    fn default() -> Self {
        Self {
            interval: Duration::from_millis(50),
            high_water: 256 * 1024,
            max_queued: 8 * 1024 * 1024,
        }
    }
}

#[derive(Default)]
struct Queue {
    buf: Vec<u8>,
    /// The writer thread has been asked to write now.
    wake: bool,
    /// The guard is gone: write the rest and stop.
    closed: bool,
    /// Lines waiting for room.
    waiting: usize,
}

struct Shared {
    queue: Mutex<Queue>,
    /// The writer thread waits on it.
    work: Condvar,
    /// Lines wait on it for room.
    room: Condvar,
    batching: Batching,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock leaves a queue of whole lines: keep using it.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, line: &[u8], urgent: bool) {
        let mut q = self.lock();
        while q.buf.len() >= self.batching.max_queued && !q.closed {
            q.waiting += 1;
            if !q.wake {
                q.wake = true;
                self.work.notify_one();
            }
            q = self.room.wait(q).unwrap_or_else(PoisonError::into_inner);
            q.waiting -= 1;
        }
        if q.closed {
            return;
        }
        q.buf.extend_from_slice(line);
        // Notifying costs a system call even with nobody waiting: only when needed.
        if !q.wake && (urgent || q.buf.len() >= self.batching.high_water) {
            q.wake = true;
            self.work.notify_one();
        }
    }
}

/// The `MakeWriter` of the log subscriber (cheap to clone).
#[derive(Clone)]
pub(crate) struct BatchWriter {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for BatchWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchWriter").finish_non_exhaustive()
    }
}

/// Writes the rest of the queue and stops the writer thread when dropped.
#[must_use = "dropping the guard stops the log writer"]
pub(crate) struct FlushGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FlushGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlushGuard").finish_non_exhaustive()
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        {
            let mut q = self.shared.lock();
            q.closed = true;
            self.shared.work.notify_one();
            self.shared.room.notify_all();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts the writer thread `name` writing to `sink`.
///
/// # Errors
///
/// The thread could not be started.
pub(crate) fn batch_writer<W: Write + Send + 'static>(
    sink: W,
    name: &str,
    batching: Batching,
) -> io::Result<(BatchWriter, FlushGuard)> {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue::default()),
        work: Condvar::new(),
        room: Condvar::new(),
        batching,
    });
    let for_thread = shared.clone();
    let thread = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || write_out(&for_thread, sink))?;
    Ok((
        BatchWriter {
            shared: shared.clone(),
        },
        FlushGuard {
            shared,
            thread: Some(thread),
        },
    ))
}

/// The writer thread: waits for the interval (or a wake-up), takes the whole queue,
/// writes it with the lock released.
fn write_out<W: Write>(shared: &Shared, mut sink: W) {
    let mut batch = Vec::with_capacity(64 * 1024);
    loop {
        let closed = {
            let mut q = shared.lock();
            if !q.wake && !q.closed {
                q = shared
                    .work
                    .wait_timeout(q, shared.batching.interval)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            q.wake = false;
            std::mem::swap(&mut q.buf, &mut batch);
            if q.waiting > 0 {
                shared.room.notify_all();
            }
            q.closed
        };
        if !batch.is_empty() {
            // A sink that fails (a closed pipe) cannot be helped from here: the lines
            // are dropped rather than blocking the service.
            let _ = sink.write_all(&batch);
            let _ = sink.flush();
            batch.clear();
            // Keep the memory of a burst only while bursts last.
            batch.shrink_to(shared.batching.high_water);
        }
        if closed && shared.lock().buf.is_empty() {
            return;
        }
    }
}

/// One event's writer. `tracing-subscriber`'s formatter writes each event with one
/// `write_all` of the whole line, which is queued whole; separate writes of one
/// writer may interleave with other threads' lines.
pub(crate) struct Line<'a> {
    shared: &'a Shared,
    urgent: bool,
}

impl Write for Line<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.shared.push(buf, self.urgent);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BatchWriter {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            shared: &self.shared,
            urgent: false,
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        Line {
            shared: &self.shared,
            urgent: *meta.level() <= Level::WARN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Instant;

    /// A sink that hands every write to the test.
    struct Probe(mpsc::Sender<Vec<u8>>);

    impl Write for Probe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let _ = self.0.send(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn slow(max_queued: usize) -> Batching {
        Batching {
            interval: Duration::from_secs(3600),
            high_water: usize::MAX,
            max_queued,
        }
    }

    #[test]
    fn lines_wait_for_the_batch_and_all_are_written_in_order_at_the_end() {
        let (tx, rx) = mpsc::channel();
        let (w, guard) = batch_writer(Probe(tx), "test-log", slow(usize::MAX)).unwrap();
        for i in 0..1000 {
            writeln!(w.make_writer(), "line {i}").unwrap();
        }
        // The interval is an hour and nothing is urgent: nothing is written yet.
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
        drop(guard);
        let written: Vec<u8> = rx.try_iter().flatten().collect();
        let want: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        assert_eq!(String::from_utf8(written).unwrap(), want);
    }

    #[test]
    fn a_warning_is_written_at_once() {
        let (tx, rx) = mpsc::channel();
        let (w, _guard) = batch_writer(Probe(tx), "test-log", slow(usize::MAX)).unwrap();
        writeln!(w.make_writer(), "info").unwrap();
        let meta = tracing::Level::WARN;
        struct Cs;
        impl tracing::callsite::Callsite for Cs {
            fn set_interest(&self, _: tracing::subscriber::Interest) {}
            fn metadata(&self) -> &Metadata<'_> {
                &WARN_META
            }
        }
        static CS: Cs = Cs;
        static WARN_META: Metadata<'static> = tracing::metadata! {
            name: "w",
            target: "t",
            level: tracing::Level::WARN,
            fields: &[],
            callsite: &CS,
            kind: tracing::metadata::Kind::EVENT,
        };
        assert_eq!(*WARN_META.level(), meta);
        writeln!(w.make_writer_for(&WARN_META), "warn").unwrap();
        let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        // The queued info line goes out with it, before it.
        assert_eq!(got, b"info\nwarn\n");
    }

    #[test]
    fn a_full_queue_makes_lines_wait_instead_of_dropping_them() {
        /// A sink that blocks until the test lets it go.
        struct Gate(mpsc::Receiver<()>, mpsc::Sender<Vec<u8>>);
        impl Write for Gate {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                let _ = self.0.recv();
                let _ = self.1.send(buf.to_vec());
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (open, gate) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        let (w, guard) = batch_writer(Gate(gate, tx), "test-log", slow(64)).unwrap();
        let producer = std::thread::spawn(move || {
            let start = Instant::now();
            for i in 0..100 {
                write!(w.make_writer(), "{i:08}|").unwrap();
            }
            start.elapsed()
        });
        // The producer fills 64 bytes, wakes the writer, which blocks in the sink: the
        // producer must be waiting now.
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !producer.is_finished(),
            "a full queue must hold the line back"
        );
        for _ in 0..1000 {
            let _ = open.send(());
        }
        producer.join().unwrap();
        drop(guard);
        let written: Vec<u8> = rx.try_iter().flatten().collect();
        let want: String = (0..100).map(|i| format!("{i:08}|")).collect();
        assert_eq!(String::from_utf8(written).unwrap(), want);
    }

    #[test]
    fn lines_from_many_threads_are_all_written_whole() {
        let (tx, rx) = mpsc::channel();
        let batching = Batching {
            interval: Duration::from_millis(1),
            high_water: 512,
            max_queued: 4096,
        };
        let (w, guard) = batch_writer(Probe(tx), "test-log", batching).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let w = w.clone();
                std::thread::spawn(move || {
                    for i in 0..2000 {
                        // One write per line, as the formatter writes an event.
                        let line = format!("t{t} {i}\n");
                        w.make_writer().write_all(line.as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        drop(guard);
        let text = String::from_utf8(rx.try_iter().flatten().collect()).unwrap();
        for t in 0..4 {
            let mine: Vec<usize> = text
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("t{t} ")))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(mine, (0..2000).collect::<Vec<_>>(), "thread {t}");
        }
        assert_eq!(text.lines().count(), 8000);
    }
}
