/**
 * A container's security context under the restricted Pod Security Standard: a fixed non-root
 * identity (checkable before the image is pulled), no privilege escalation, no Linux capabilities,
 * a read-only root filesystem and the runtime's default seccomp profile.
 */
export function restrictedContainerSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
