// The reference y-websocket server (@y/websocket-server 0.1.1, the last release on Yjs 13), started
// exactly as its own `bin/server.js` does: `setupWSConnection` from its utils on a plain HTTP
// server. Two differences, both neutral or in its favour: it uses the same `ws` 8 as our server
// (its bin would pick ws 6 from optionalDependencies) and it exits cleanly on SIGTERM so that
// `node --cpu-prof` can write a profile. No persistence (YPERSISTENCE unset), GC on (its default).
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? '1234');

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);

const server = http.createServer((_request, response) => {
	response.writeHead(200, { 'Content-Type': 'text/plain' });
	response.end('okay');
});
server.on('upgrade', (request, socket, head) => {
	wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(port, host, () => console.log(`y-websocket-server ready on ${host}:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
