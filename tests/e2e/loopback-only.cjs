/**
 * Preloaded into Microsoft 365 Agents Playground (`node --require`) by bot-playground.e2e.test.ts.
 *
 * Why: the playground 0.2.x has no option to choose its bind address: it calls
 * `server.listen(port, callback)`, i.e. every interface. The test machine must expose nothing, so
 * every listening socket is forced onto 127.0.0.1. Its telemetry is switched off by flag and its
 * browser launch by TEAMSAPPTESTER_BROWSER=none; as a second guard, any outbound TCP connection to
 * a host other than loopback fails at once (an error the playground logs) instead of waiting on a
 * network the test machine does not have.
 */
'use strict';
const net = require('node:net');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && ('port' in first || Object.keys(first).length === 0)) {
    args[0] = { ...first, host: '127.0.0.1' };
  } else if (first === undefined || typeof first === 'function') {
    args.unshift(0, '127.0.0.1');
  }
  return listen.apply(this, args);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectToLoopbackOnly(...args) {
  // net.createConnection passes its normalized arguments as one array: [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first && typeof first === 'object' ? first : null;
  const host = options ? options.host : typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)) ? args[1] : undefined;
  const isPipe = options ? typeof options.path === 'string' : typeof first === 'string' && !/^\d+$/.test(first);
  if (!isPipe && typeof host === 'string' && !LOOPBACK.has(host.replace(/^\[|\]$/g, ''))) {
    const error = Object.assign(new Error(`blocked by loopback-only.cjs: ${host} is not loopback`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
