import "server-only";

export { LIVE_CHANNEL, notifyLive, type LiveKind } from "./channel";
export {
  createLiveHub,
  getLiveHub,
  MAX_LIVE_STREAMS,
  toLiveEvent,
  type LiveEvent,
  type LiveHub,
  type LiveSubscriber,
} from "./hub";
export { formatEvent, LIVE_HEARTBEAT_MS, LIVE_MAX_AGE_MS, LIVE_RETRY_MS, openLiveStream } from "./stream";
