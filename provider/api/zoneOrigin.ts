/*
 * Trailing dots on zone names (fact sheet §6.2, §8). The panel stores `origin` exactly as
 * sent, but its UI always stores `example.com.` and the BIND writer strips the last
 * character to name the zone file — so a dot-less origin becomes a file named `example.co`.
 * We store the dotted form, and compare names in their canonical (lower-case, dotted) form.
 */

/** `Example.COM` / `example.com.` → `example.com.` */
export function dotted(name: string): string {
    const n = name.trim().toLowerCase();
    return n.endsWith(".") ? n : `${n}.`;
}

/** `example.com.` → `example.com` */
export function undotted(name: string): string {
    const n = name.trim().toLowerCase();
    return n.endsWith(".") ? n.slice(0, -1) : n;
}

export function sameName(a: string, b: string): boolean {
    return dotted(a) === dotted(b);
}

/** SOA mailbox: the UI turns `hostmaster@example.com` into `hostmaster.example.com.`. */
export function soaMailbox(mbox: string): string {
    return dotted(mbox.trim().replace("@", "."));
}
