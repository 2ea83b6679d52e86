import { describe, expect, it } from 'vitest';
import { actorFromClaims, groupsFrom, type JwtClaims } from '../../../lambdas/shared/auth.ts';
import { ForbiddenError, UnauthorizedError } from '../../../lambdas/shared/errors.ts';
import { everyone, office } from '../../../lambdas/shared/roles.ts';

const claimsOf = (overrides: JwtClaims = {}): JwtClaims => ({
  sub: 'user-123',
  'custom:tenantId': 'ten_acme',
  'cognito:groups': '[dispatcher]',
  ...overrides,
});

describe('groupsFrom', () => {
  it("when given API Gateway's bracketed string, it returns each group", () => {
    // Act
    const groups = groupsFrom('[admin dispatcher]');

    // Assert
    expect(groups).toEqual(['admin', 'dispatcher']);
  });

  it('when given a single bracketed group, it returns that group', () => {
    // Act
    const groups = groupsFrom('[technician]');

    // Assert
    expect(groups).toEqual(['technician']);
  });

  it('when given empty brackets, it returns no groups', () => {
    // Act
    const groups = groupsFrom('[]');

    // Assert
    expect(groups).toEqual([]);
  });

  it('when given an array (the raw token), it returns it as is', () => {
    // Act
    const groups = groupsFrom(['admin', 'technician']);

    // Assert
    expect(groups).toEqual(['admin', 'technician']);
  });

  it('when the claim is missing, it returns no groups', () => {
    // Act
    const groups = groupsFrom(undefined);

    // Assert
    expect(groups).toEqual([]);
  });

  it('when the claim is not text, it returns no groups', () => {
    // Act
    const groups = groupsFrom(42);

    // Assert
    expect(groups).toEqual([]);
  });
});

describe('actorFromClaims', () => {
  it('when there are no claims, it refuses with UnauthorizedError', () => {
    // Act
    const act = () => actorFromClaims(undefined, everyone);

    // Assert
    expect(act).toThrow(UnauthorizedError);
  });

  it('when the claims carry no subject, it refuses with UnauthorizedError', () => {
    // Arrange
    const { sub: _sub, ...claims } = claimsOf();

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(UnauthorizedError);
  });

  it('when the token carries no tenant, it refuses with ForbiddenError', () => {
    // Arrange
    const claims = claimsOf({ 'custom:tenantId': undefined });

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('when the tenant claim is empty, it refuses with ForbiddenError', () => {
    // Arrange
    const claims = claimsOf({ 'custom:tenantId': '' });

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('when the claims are valid, it takes the tenant and id from the token', () => {
    // Arrange
    const claims = claimsOf({ sub: 'user-42', 'custom:tenantId': 'ten_globex' });

    // Act
    const actor = actorFromClaims(claims, office);

    // Assert
    expect(actor).toEqual({ tenantId: 'ten_globex', id: 'user-42', role: 'dispatcher' });
  });

  it('when the user is in admin and dispatcher, it acts as admin', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': '[dispatcher admin]' });

    // Act
    const actor = actorFromClaims(claims, everyone);

    // Assert
    expect(actor.role).toBe('admin');
  });

  it('when the route does not allow the higher role, it acts with the highest allowed one', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': ['admin', 'technician'], 'custom:technicianId': 'tec_7' });

    // Act
    const actor = actorFromClaims(claims, ['technician']);

    // Assert
    expect(actor).toMatchObject({ role: 'technician', technicianId: 'tec_7' });
  });

  it('when the user is a technician, it carries the technician id from the token', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': '[technician]', 'custom:technicianId': 'tec_01' });

    // Act
    const actor = actorFromClaims(claims, everyone);

    // Assert
    expect(actor).toEqual({
      tenantId: 'ten_acme',
      id: 'user-123',
      role: 'technician',
      technicianId: 'tec_01',
    });
  });

  it('when a technician token names no technician record, it is forbidden', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': '[technician]' });

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('when the subject is empty, it is unauthorized', () => {
    // Arrange
    const claims = claimsOf({ sub: '', 'cognito:groups': '[dispatcher]' });

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(UnauthorizedError);
  });

  it('when an office user has a technician id claim, it does not carry it', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': '[dispatcher]', 'custom:technicianId': 'tec_01' });

    // Act
    const actor = actorFromClaims(claims, everyone);

    // Assert
    expect(actor).not.toHaveProperty('technicianId');
  });

  it('when the user is only in a group the route does not allow, it refuses with ForbiddenError', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': '[technician]' });

    // Act
    const act = () => actorFromClaims(claims, office);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('when the user is in no group, it refuses with ForbiddenError', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': undefined });

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('when the user is also in unknown groups, it ignores them', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': '[superuser us-east-1_Pool_Google dispatcher]' });

    // Act
    const actor = actorFromClaims(claims, everyone);

    // Assert
    expect(actor.role).toBe('dispatcher');
  });

  it('when the user is only in unknown groups, it refuses with ForbiddenError', () => {
    // Arrange
    const claims = claimsOf({ 'cognito:groups': ['superuser', 'root'] });

    // Act
    const act = () => actorFromClaims(claims, everyone);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });
});
