/**
 * The contract between the suite (which runs inside the extension host) and
 * the runners (outside it): the suite writes a SuiteResult as JSON to the
 * file named by the RESULT_ENV environment variable, which the host passes on.
 */

export const RESULT_ENV = "QDS_TEST_RESULT";

export interface SuiteResult {
  passes: number;
  failures: number;
  pending: number;
  failedTitles: string[];
}
