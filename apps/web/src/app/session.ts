import type { TPermission, TSessionInfo, TSessionUser } from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import { setCsrfToken } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';

export const SESSION_KEY = ['session'] as const;

type LostReason = 'expired' | 'required';
let lostReason: LostReason | null = null;

/** Remembers why the session ended, so the redirect to sign-in can say so (cleared at sign-in). */
export function markSessionLost(reason: LostReason | null): void {
  lostReason = reason;
}

/** Why the last session ended, if it ended under the user's feet. */
export function sessionLostReason(): LostReason | null {
  return lostReason;
}

/** Loads the session and keeps the API client's CSRF token in step with it. */
export async function fetchSession(): Promise<TSessionInfo> {
  const session = await endpoints.session();
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session (user null when signed out). */
export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: 1 });
}

/** The signed-in user; only call below the authenticated layout. */
export function useUser(): TSessionUser {
  const { data } = useSession();
  if (!data?.user) throw new Error('useUser outside the signed-in layout');
  return data.user;
}

/** True when the signed-in user holds the permission (the server still decides). */
export function useCan(permission: TPermission): boolean {
  const { data } = useSession();
  return data?.user?.permissions.includes(permission) ?? false;
}
