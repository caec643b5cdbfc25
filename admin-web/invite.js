// Owner-invite page (/admin/invite): sets the invited owner's password. A file, not inline, so
// the page's Content-Security-Policy can forbid inline script.
const form = document.getElementById('invite-form');
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/api/invite/accept', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: location.hash.slice(1), password: new FormData(form).get('password') }),
  });
  const data = await res.json().catch(() => ({}));
  document.getElementById('msg').textContent = res.ok
    ? `Done. Sign in to your inbox as ${data.email} with business "${data.tenant}".`
    : data?.error?.message || 'Something went wrong';
  if (res.ok) setTimeout(() => (location.href = '/admin/inbox'), 1500);
});
