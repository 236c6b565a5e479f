export { HubClient, DEFAULT_HUB_ENDPOINT, isRepoId, type HubClientOptions, type HubFile, type RepoInfo } from "./hub-client.js";
export { downloadFile, type DownloadFileOptions, type DownloadFileResult } from "./download-file.js";
export { pullRepo, snapshotDir, REQUIRED_FILES, OPTIONAL_FILES, type PullPlan, type PullProgress, type PullRepoOptions, type PullRepoResult } from "./pull-repo.js";
