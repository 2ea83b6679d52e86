/** Customers, their service locations and equipment. */
export const customerRoutes = [] as const;
