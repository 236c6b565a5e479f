export { REVIEW_QUESTIONS, QUESTION_IDS, REVIEW_NAME, type QuestionId, type ShownChoice, type SystemChoice } from "./questions.js";
export { readSide, pairSides, type ReviewPair, type SideRow } from "./read-side.js";
export { ReviewStore, reviewerName, type Progress, type ReviewInfo, type ShownItem, type VoteRow } from "./review-store.js";
export { agreement, type Agreement } from "./agreement.js";
export { reviewReport, renderReviewReport, REPORT_METHOD, type QuestionReport, type ReviewReport } from "./review-report.js";
