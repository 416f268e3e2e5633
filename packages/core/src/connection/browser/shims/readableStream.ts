import { EventEmitter } from 'events';

/**
 * `readable-stream` for the browser build: the two streams MQTT.js's client and store create (its
 * transports, which need the rest, are not in the build; mqtt-packet's parser gets bl's `BufferList`,
 * which is no stream). Node's stream library is ~25 kB gzipped of MQTT.js's browser bundle.
 *
 * - `Writable`: MQTT.js makes one, sets `_write(chunk, encoding, done)` to parse, and pipes the socket's
 *   stream into it. As in Node, `_write` runs for one chunk at a time: the next waits for `done`.
 * - `Readable`: MQTT.js's store makes an object-mode one of its in-flight packets (`createStream`),
 *   sets `_read` to push them one by one and then `null`, and reads it with `read(1)`, `readable`
 *   and `end` when a connection comes up. As in Node, `end` follows `readable` once the pushed
 *   packets are read, after the current call.
 */
export class Writable extends EventEmitter {
  readonly #queue: unknown[] = [];
  #writing = false;

  _write(_chunk: unknown, _encoding: string, done: (err?: Error | null) => void): void {
    done();
  }

  write(chunk: unknown): boolean {
    this.#queue.push(chunk);
    if (!this.#writing) this.#next();
    return true;
  }

  #next(): void {
    while (this.#queue.length > 0 && !this.#writing) {
      this.#writing = true;
      let sync = true;
      let doneSync = false;
      this._write(this.#queue.shift(), 'buffer', (err) => {
        if (err) this.emit('error', err);
        this.#writing = false;
        if (sync) doneSync = true;
        else this.#next();
      });
      sync = false;
      if (!doneSync) return;
    }
  }
}

export class Readable extends EventEmitter {
  readonly #buffer: unknown[] = [];
  #ended = false;
  #endScheduled = false;
  #reading = false;

  constructor(_options?: { objectMode?: boolean }) {
    super();
  }

  _read(_size?: number): void {}

  push(chunk: unknown): boolean {
    if (chunk === null) this.#ended = true;
    else this.#buffer.push(chunk);
    // A push outside read() (an asynchronous _read) tells waiting readers.
    if (!this.#reading) queueMicrotask(() => this.emit('readable'));
    return !this.#ended;
  }

  read(_size?: number): unknown {
    if (this.#buffer.length === 0 && !this.#ended) {
      this.#reading = true;
      try {
        this._read(1);
      } finally {
        this.#reading = false;
      }
    }
    if (this.#buffer.length > 0) return this.#buffer.shift();
    if (this.#ended && !this.#endScheduled) {
      this.#endScheduled = true;
      queueMicrotask(() => {
        this.emit('readable');
        this.emit('end');
      });
    }
    return null;
  }

  destroy(): this {
    this.#ended = true;
    this.#buffer.length = 0;
    queueMicrotask(() => this.emit('close'));
    return this;
  }
}
