/*
 * The panel's mailbox password policy (ISPConfig's validate_password: at least 8 characters
 * and strength 3, "Good"). We score passwords the same way so `check` refuses a weak one
 * before anything is sent, instead of the add failing halfway through an `up`.
 */
export const STRENGTH_NAMES = ["", "Weak", "Fair", "Good", "Strong", "Very Strong"];
export const MIN_PASSWORD_LENGTH = 8;
export const MIN_PASSWORD_STRENGTH = 3;

const SPECIAL = /[`~!@#$%^&*()_+|\\=\-[\]}{';:/?.>,<" ]/;

/** 1 (weak) … 5 (very strong), as the panel computes it; length counts bytes like PHP's strlen. */
export function passwordStrength(password: string): number {
    const length = Buffer.byteLength(password, "utf8");
    if (length < 5) return 1;
    let points = 0;
    let different = 0;
    if (/[a-z]/.test(password)) different++;
    if (/[A-Z]/.test(password)) { points++; different++; }
    if (/[0-9]/.test(password)) { points++; different++; }
    if (SPECIAL.test(password)) { points++; different++; }
    if (points === 0 || different < 3) return length <= 6 ? 1 : length <= 8 ? 2 : 3;
    if (points === 1) return length <= 6 ? 2 : length <= 10 ? 3 : 4;
    if (points === 2) return length <= 8 ? 3 : length <= 10 ? 4 : 5;
    if (points === 3) return length <= 6 ? 3 : length <= 8 ? 4 : 5;
    return length <= 6 ? 4 : 5;
}

/** Why the panel would refuse this password, or undefined if it would accept it. Never echoes the password. */
export function passwordProblem(password: string): string | undefined {
    const length = Buffer.byteLength(password, "utf8");
    if (length < MIN_PASSWORD_LENGTH) {
        return `is ${length} characters long; the panel requires at least ${MIN_PASSWORD_LENGTH}`;
    }
    const s = passwordStrength(password);
    if (s < MIN_PASSWORD_STRENGTH) {
        return `is too weak (strength "${STRENGTH_NAMES[s]}"); the panel requires "${STRENGTH_NAMES[MIN_PASSWORD_STRENGTH]}": mix upper and lower case, digits and symbols, or make it longer`;
    }
    return undefined;
}
