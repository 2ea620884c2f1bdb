/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Viewer } from "./components.tsx";
import { Page } from "./layout.tsx";

/** The login form: a name to record actions under, and the admin token (sent in the body, never a URL). */
export function loginPage(viewer: Viewer, problem?: string) {
  return (
    <Page title="Log in" path="/login" viewer={viewer}>
      {problem ? <p class="problem">{problem}</p> : null}
      {viewer.adminEnabled ? (
        <form method="post" action="/login" class="login">
          <label>
            Your name (recorded with every action){" "}
            <input name="name" required maxlength={64} autocomplete="username" />
          </label>
          <label>
            Admin token{" "}
            <input name="token" type="password" required autocomplete="current-password" />
          </label>
          <button type="submit">Log in</button>
        </form>
      ) : (
        <p>The dashboard is read-only: set FEED_JOBS_ADMIN_TOKEN where it runs to allow actions.</p>
      )}
    </Page>
  );
}
