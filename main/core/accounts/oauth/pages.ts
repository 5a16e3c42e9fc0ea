// The small pages the browser shows at the end of a sign-in.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, accent: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(title)} · codex-claude-proxy</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f6f7f9;color:#1d2330;display:flex;min-height:100vh;margin:0;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 16px #0001;padding:2rem 2.5rem;max-width:32rem;border-top:6px solid ${accent}}
h1{font-size:1.4rem;margin:0 0 .75rem}p{line-height:1.5;margin:.5rem 0}code{background:#eef0f4;padding:.1rem .3rem;border-radius:4px}
</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function successPage(who: string): string {
  return page(
    'Signed in',
    `<p>The ChatGPT account <strong>${escapeHtml(who)}</strong> is now available to codex-claude-proxy.</p><p>You can close this tab.</p>`,
    '#1f9d55',
  );
}

export function failurePage(reason: string): string {
  return page(
    'Sign-in did not complete',
    `<p>${escapeHtml(reason)}</p><p>Start again with <code>codex-claude-proxy accounts add</code> or from the dashboard.</p>`,
    '#d64545',
  );
}
