export const roles = ['admin', 'dispatcher', 'technician'] as const;
export type Role = (typeof roles)[number];

/** The office: everyone who runs the business from a desk. */
export const office: Role[] = ['admin', 'dispatcher'];
export const everyone: Role[] = [...roles];
