/**
 * The artifact upload, at the edge. Without an artifact service (a runner that is not
 * GitHub's, `act`, a test), a notice says so instead of failing the step.
 */
import * as core from '@actions/core';

export async function uploadResults(name: string, files: readonly string[], root: string): Promise<void> {
  if (!process.env.ACTIONS_RUNTIME_TOKEN) {
    core.notice(
      `ioana: no artifact service on this runner (ACTIONS_RUNTIME_TOKEN is not set); the proposed baseline and the report stay in ${root}.`,
    );
    return;
  }
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const client = new DefaultArtifactClient();
    const { id, size } = await client.uploadArtifact(name, [...files], root, { retentionDays: 14 });
    core.info(
      `ioana: uploaded artifact "${name}" (id ${id}, ${size} bytes): the proposed baseline, the report, its SARIF log and the canonical graph.`,
    );
  } catch (error) {
    core.warning(`ioana: could not upload the artifact "${name}": ${(error as Error).message}`);
  }
}
