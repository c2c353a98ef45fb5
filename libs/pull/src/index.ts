export { createPullClient } from './pull-client.factory.js';
export { type PullEvent, type PullHttpOptions, SourceHttp, retryAfterMs } from './source-http.js';
export { SomtodayPullClient, parseContentRange } from './somtoday.pull-client.js';
export { MagisterPullClient } from './magister.pull-client.js';
