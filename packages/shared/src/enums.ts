/** String-literal unions shared by the API and the apps. */
export const STORE_STATUSES = ['open', 'paused', 'closed'] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

export const STAFF_STATUSES = ['active', 'disabled'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

export type ActorKind = 'staff' | 'member' | 'system';

export const GENDERS = ['male', 'female', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** anonymised: deleted on request (PIPL): the profile is blanked, the ledgers stay. merged: folded into another member. */
export const MEMBER_STATUSES = ['active', 'frozen', 'anonymised', 'merged'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
