/*
 * Last line of defence for secrets in text that leaves the process (error messages, logs):
 * every known secret, in each form it can take on the way (plain, XML-escaped as it travels
 * in a request, JSON-escaped as it sits in a serialized value, URL-encoded), and anything
 * shaped like a crypt(3) password hash (what mail_user_get and client rows carry, and what a
 * database_error echoes) is masked with `***`.
 */

/** `$1$…` md5-crypt, `$2a/b/x/y$…` bcrypt, `$5$…` sha256-crypt, `$6$…` sha512-crypt (`$6$rounds=5000$salt$hash`), argon2. */
const HASH = /\$(?:1|2[abxy]?|5|6|y|argon2(?:id|i|d)?)\$[^\s'"<>,;)`]{8,}/g;

function xmlEscaped(s: string): string {
    return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

export function redactSecrets(text: string, secrets: readonly (string | undefined | null)[]): string {
    let out = text;
    const forms = new Set<string>();
    for (const s of secrets) {
        if (typeof s !== "string" || s === "") continue;
        forms.add(s);
        forms.add(xmlEscaped(s));
        forms.add(JSON.stringify(s).slice(1, -1));
        forms.add(encodeURIComponent(s));
    }
    // Longest first, so a secret that contains another is masked whole.
    for (const f of [...forms].sort((a, b) => b.length - a.length)) if (f !== "") out = out.split(f).join("***");
    return out.replace(HASH, "***");
}
