package storekit

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"crossguard"
)

// ScanModel reads the info of a model version from the columns version,
// active, activated_at and info (its JSON description).
func ScanModel(scan Scan) (*crossguard.ModelInfo, error) {
	info, _, err := scanModel(scan, false)
	return info, err
}

// ScanModelFile reads the info of a model version as ScanModel does, and
// its file from a further column.
func ScanModelFile(scan Scan) (*crossguard.ModelInfo, []byte, error) {
	return scanModel(scan, true)
}

// scanModel reads the info of a model version, and its file if withFile.
func scanModel(scan Scan, withFile bool) (*crossguard.ModelInfo, []byte, error) {
	var version int64
	var active bool
	var activated Time
	var body, file []byte
	dest := []any{&version, &active, &activated, &body}
	if withFile {
		dest = append(dest, &file)
	}
	if err := scan(dest...); err != nil {
		return nil, nil, err
	}
	var info crossguard.ModelInfo
	if err := json.Unmarshal(body, &info); err != nil {
		return nil, nil, fmt.Errorf("model version %d: decode its description: %w", version, err)
	}
	info.Version, info.Active, info.ActivatedAt = version, active, activated.Ptr()
	return &info, file, nil
}

// CheckModel returns the EINVALID error of a model to save without its
// description.
func CheckModel(info *crossguard.ModelInfo) error {
	if info == nil {
		return crossguard.Errorf(crossguard.EINVALID, "a model needs its description")
	}
	return nil
}

// NewModelVersion returns the model described by info to store after
// version last: at version last+1, not active, with its description
// encoded as JSON.
func NewModelVersion(info *crossguard.ModelInfo, last int64) (crossguard.ModelInfo, []byte, error) {
	stored := *info
	stored.Version, stored.Active, stored.ActivatedAt = last+1, false, nil
	body, err := json.Marshal(&stored)
	if err != nil {
		return crossguard.ModelInfo{}, nil, fmt.Errorf("encode its description: %w", err)
	}
	return stored, body, nil
}

// ModelSaveAudit is the audit entry of model version info saved by actor
// with a file of size bytes, at info.CreatedAt.
func ModelSaveAudit(actor string, info *crossguard.ModelInfo, size int) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: info.CreatedAt, Actor: actor, Action: crossguard.ActionModelSave,
		RecordKind: crossguard.AuditKindModel, RecordID: strconv.FormatInt(info.Version, 10), Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("bytes", strconv.Itoa(size), "trained_rows", strconv.Itoa(info.TrainedRows),
			"seed", strconv.FormatInt(info.Seed, 10))}
}

// ModelActivateAudit is the audit entry of model version made active by
// actor at at, after version previous (nil: none was).
func ModelActivateAudit(actor string, version int64, previous *int64, at time.Time) *crossguard.AuditEntry {
	prev := "none"
	if previous != nil {
		prev = strconv.FormatInt(*previous, 10)
	}
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionModelActivate,
		RecordKind: crossguard.AuditKindModel, RecordID: strconv.FormatInt(version, 10), Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("previous", prev)}
}
