/** Any control character (C0, DEL, C1): refused in names and in values echoed into URLs. */
export const CONTROL_CHARACTER = /\p{Cc}/u;
