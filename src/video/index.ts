export type { VideoBackend, VideoBackendInfo, VideoRequest, VideoResult } from "./types.js";
export { VideoCache } from "./video-cache.js";
export { CommandVideoBackend, VIDEO_PLACEHOLDERS, type CommandVideoOptions } from "./command-video.js";
export { HttpVideoBackend, type HttpVideoOptions } from "./http-video.js";
export { openVideoBackend, type VideoBackendSettings } from "./open-video-backend.js";
