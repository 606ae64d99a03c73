/** What the command palette's search answers (types only, so client components can import them). */
export interface RunHit {
  id: string;
  title: string | null;
  jobId: string;
  jobTitle: string;
  state: string;
  fairKey: string;
  customer: string | null;
  createdAt: string;
}

export interface JobHit {
  id: string;
  title: string;
}

export interface SearchResult {
  runs: RunHit[];
  jobs: JobHit[];
}
