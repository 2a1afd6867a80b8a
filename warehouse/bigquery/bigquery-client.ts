import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';

export interface BigQueryTarget {
  projectId: string;
  datasetId: string;
  /** Dataset location ('US', 'EU', 'europe-west1'...). */
  location: string;
  /** Service account key JSON (BIGQUERY_CREDENTIALS_FILE). */
  credentialsFile?: string | undefined;
  /**
   * Tests only: another endpoint (the fake BigQuery server) and a static access token.
   * Without an auth client the library asks the GCE metadata server, which is unreachable
   * outside Google Cloud, so tests pass one holding a static token.
   */
  apiEndpoint?: string;
  accessToken?: string;
}

/** The real @google-cloud/bigquery client for a target. */
export function bigQueryClient(target: BigQueryTarget): BigQuery {
  if (target.apiEndpoint) {
    const authClient = new OAuth2Client();
    authClient.setCredentials({
      access_token: target.accessToken ?? 'test-token',
      expiry_date: Date.now() + 365 * 24 * 3600 * 1000,
    });
    return new BigQuery({
      projectId: target.projectId,
      location: target.location,
      apiEndpoint: target.apiEndpoint,
      authClient,
    });
  }
  return new BigQuery({
    projectId: target.projectId,
    location: target.location,
    keyFilename: target.credentialsFile,
  });
}
