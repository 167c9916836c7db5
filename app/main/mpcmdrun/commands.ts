/**
 * MpCmdRun's arguments for the app's jobs, as Microsoft documents them (api §13.4, and the tool's -? text:
 * "-SignatureUpdate [-UNC [-Path <path>] | -MMPC]", "-RemoveDefinitions [-All] | [-DynamicSignatures]").
 */

/** Update from a folder or share holding x64\mpam-fe.exe (or arm64\…): the path without the architecture folder. */
export function signatureUpdateFromFolder(folder: string): string[] {
  return ['-SignatureUpdate', '-UNC', '-Path', folder];
}

/**
 * Microsoft's fix for broken definitions: remove the dynamically downloaded ones, or (`all`) every installed signature
 * and engine file. Either is followed by a normal update.
 */
export function removeDefinitions(all: boolean): string[] {
  return ['-RemoveDefinitions', all ? '-All' : '-DynamicSignatures'];
}
