/** The service catalogue and suggestions. */
export const catalogRoutes = [] as const;
