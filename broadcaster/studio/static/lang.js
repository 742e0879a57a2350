// The language picker (简体 · 繁體 · English): remembered in this browser by a cookie the server reads too.
const COOKIE = 'studio_lang';
const picker = document.getElementById('lang');
if (!document.cookie.split('; ').some((c) => c.startsWith(`${COOKIE}=`))) {  // the page's language, for the API's messages too
  document.cookie = `${COOKIE}=${document.documentElement.lang}; Path=/; Max-Age=31536000; SameSite=Strict`;
}
if (picker) {
  picker.addEventListener('change', () => {
    document.cookie = `${COOKIE}=${picker.value}; Path=/; Max-Age=31536000; SameSite=Strict`;
    location.reload();
  });
}
