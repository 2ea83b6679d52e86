import { describe, expect, it } from 'vitest';
import { requestPhotoUploadBody, stageOf } from '../../../lambdas/schemas/photos.ts';

const aRequest = (overrides: Record<string, unknown> = {}) => ({
  contentType: 'image/jpeg',
  sizeBytes: 2048,
  ...overrides,
});

describe('the photo upload request', () => {
  it.each(['before', 'during', 'after'])(
    'when it is tagged with stage %s, it is taken with that stage',
    (stage) => {
      // Act
      const parsed = requestPhotoUploadBody.parse(aRequest({ stage, caption: 'Condenser coil' }));

      // Assert
      expect(stageOf(parsed)).toBe(stage);
      expect(parsed.caption).toBe('Condenser coil');
    },
  );

  it('when it uses the earlier name phase, it is taken as the stage', () => {
    // Act
    const parsed = requestPhotoUploadBody.parse(aRequest({ phase: 'after' }));

    // Assert
    expect(stageOf(parsed)).toBe('after');
  });

  it('when it has no stage, it is refused naming stage', () => {
    // Act
    const result = requestPhotoUploadBody.safeParse(aRequest());

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['stage']);
  });

  it('when stage and phase disagree, it is refused naming phase', () => {
    // Act
    const result = requestPhotoUploadBody.safeParse(aRequest({ stage: 'before', phase: 'after' }));

    // Assert
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['phase']);
  });

  it('when the stage is not one of before, during or after, it is refused naming stage', () => {
    // Act
    const result = requestPhotoUploadBody.safeParse(aRequest({ stage: 'midway' }));

    // Assert
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('stage');
  });
});
