/*
 * Last line of defence for secrets in text that leaves the process (error messages, logs):
 * every known secret, in plain and XML-escaped form, and anything shaped like a crypt(3)
 * password hash (what mail_user_get and client rows carry) is masked.
 */

const HASH = /\$(?:1|2[abxy]?|5|6|y|argon2(?:id|i|d)?)\$[^\s'"<>,;)]{8,}/g;

function xmlEscaped(s: string): string {
    return s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"));
}

export function redactSecrets(text: string, secrets: readonly (string | undefined | null)[]): string {
    let out = text;
    const forms = new Set<string>();
    for (const s of secrets) {
        if (typeof s !== "string" || s.length < 3) continue;
        forms.add(s);
        forms.add(xmlEscaped(s));
        forms.add(JSON.stringify(s).slice(1, -1));
    }
    // Longest first, so a secret containing another is masked whole.
    for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join("***");
    return out.replace(HASH, "***");
}
