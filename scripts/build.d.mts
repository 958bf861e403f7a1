export interface BuildStamp {
  /** sha256 of the sources the build was made from (scripts/source-hash.mjs). */
  hash: string;
  builtAt: string;
  seconds: number;
}
export function build(options?: { ifStale?: boolean; log?: (message: string) => void }): Promise<BuildStamp>;
